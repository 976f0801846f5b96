//! The events of a run, and the lines that print them: who did what, in
//! the grammar every program prints and the harness reads back. The
//! bottom of the harness: it depends on nothing but the item.

use std::fmt;
use std::str::FromStr;

use crate::item::Item;

/// A thread's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// Makes items and puts them in the buffer.
    Producer,
    /// Takes items out of the buffer and processes them.
    Consumer,
}

/// Who printed a line: a role, numbered when the section runs several.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Actor {
    /// Producer or consumer.
    pub role: Role,
    /// The thread's number, or `None` when it is the only one of its role.
    pub id: Option<usize>,
}

impl Actor {
    /// The only producer of a section.
    pub const PRODUCER: Actor = Actor {
        role: Role::Producer,
        id: None,
    };
    /// The only consumer of a section.
    pub const CONSUMER: Actor = Actor {
        role: Role::Consumer,
        id: None,
    };

    /// Producer number `id`.
    pub fn producer(id: usize) -> Actor {
        Actor {
            role: Role::Producer,
            id: Some(id),
        }
    }

    /// Consumer number `id`.
    pub fn consumer(id: usize) -> Actor {
        Actor {
            role: Role::Consumer,
            id: Some(id),
        }
    }

    /// Thread number `id` of `role`, `numbered` where a program runs
    /// several of that role.
    pub fn nth(role: Role, numbered: bool, id: usize) -> Actor {
        Actor {
            role,
            id: numbered.then_some(id),
        }
    }

    fn write(&self, f: &mut fmt::Formatter<'_>, role: &str) -> fmt::Result {
        match self.id {
            Some(id) => write!(f, "{role} {id}"),
            None => f.write_str(role),
        }
    }
}

impl fmt::Display for Actor {
    /// `Producer`, `Consumer 2`: the name that starts a status line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.role {
            Role::Producer => self.write(f, "Producer"),
            Role::Consumer => self.write(f, "Consumer"),
        }
    }
}

/// What happened.
///
/// The first four are the tutorial's lines. The rest are *marks*: never
/// printed, only kept, so that a timeline can show when each thread was
/// working and when it was waiting.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum What {
    /// The thread started.
    Running,
    /// A producer put an item in the buffer (printed only in sections whose
    /// producers print `added` lines).
    Added(Item),
    /// A consumer took an item out and processed it.
    Got(Item),
    /// The thread is about to end.
    Done,
    /// A producer's `send` was refused because the queue was shut down: the
    /// item was made but never put in the buffer.
    Refused(Item),
    /// An item taken out of the buffer and thrown away unprocessed, by an
    /// immediate shutdown.
    Dropped(Item),
    /// A consumer shut the queue down: producers may put nothing more.
    ShutDown,
    /// A producer's wait for every item put so far to be processed (the
    /// `Queue.join()` of Python) is over.
    Joined,
    /// A consumer processed an item that another consumer had taken and
    /// never acknowledged (it died): the item may have been processed
    /// before (Redis Streams).
    Reclaimed(Item),
    /// A consumer processed an item that another consumer had claimed from
    /// it meanwhile (it was paused too long): the item was processed twice
    /// (Redis Streams).
    Duplicated(Item),
    /// The process of this thread was killed: it could not print `Done`
    /// (printed for it by the program that started it).
    Killed,
    /// Mark: the thread starts its simulated work on an item.
    Working(Item),
    /// Mark: the thread has finished its simulated work on an item.
    Worked(Item),
    /// Mark: a producer is about to send the sentinel.
    SendingSentinel,
    /// Mark: the thread panicked with an item in hand, as its panic's
    /// message on stderr says: the item left the buffer and was never
    /// processed.
    Failed(Item),
}

impl What {
    /// Whether this is a mark, kept for timelines but never printed.
    pub fn is_mark(&self) -> bool {
        matches!(
            self,
            What::Working(_) | What::Worked(_) | What::SendingSentinel | What::Failed(_)
        )
    }
}

/// One event: an actor and what it did. It displays as the line the
/// program prints for it (marks display in brackets, and are not printed).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Event {
    /// Who.
    pub actor: Actor,
    /// What.
    pub what: What,
}

impl fmt::Display for Event {
    /// The line the tutorial prints for this event.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let actor = self.actor;
        match self.what {
            What::Running => write!(f, "{actor}: Running"),
            What::Done => write!(f, "{actor}: Done"),
            What::ShutDown => write!(f, "{actor}: Shut down the queue"),
            What::Joined => write!(f, "{actor}: Every item put so far is processed"),
            What::Refused(item) => write!(f, ">{} refused {item}", lowercase(actor)),
            What::Dropped(item) => write!(f, ">{} dropped {item}", lowercase(actor)),
            What::Added(item) => write!(f, ">{} added {item}", lowercase(actor)),
            What::Got(item) => write!(f, ">{} got {item}", lowercase(actor)),
            What::Reclaimed(item) => write!(f, ">{} reclaimed {item}", lowercase(actor)),
            What::Duplicated(item) => write!(f, ">{} duplicated {item}", lowercase(actor)),
            What::Killed => write!(f, "{actor}: Killed"),
            What::Working(item) => write!(f, "[{actor} starts work on {item}]"),
            What::Worked(item) => write!(f, "[{actor} ends work on {item}]"),
            What::SendingSentinel => write!(f, "[{actor} sends the sentinel]"),
            What::Failed(item) => write!(f, "[{actor} panicked on {item}]"),
        }
    }
}

fn lowercase(actor: Actor) -> String {
    actor.to_string().to_lowercase()
}

/// Why a line could not be read back as an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseEventError(String);

impl fmt::Display for ParseEventError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "not a line this program prints: {:?}", self.0)
    }
}

impl std::error::Error for ParseEventError {}

impl FromStr for Event {
    type Err = ParseEventError;

    /// Reads a printed line back, so tests can check a real program's output.
    fn from_str(line: &str) -> Result<Event, ParseEventError> {
        parse_line(line).ok_or_else(|| ParseEventError(line.to_string()))
    }
}

fn parse_line(line: &str) -> Option<Event> {
    if let Some(rest) = line.strip_prefix('>') {
        let verbs = [
            " got ",
            " added ",
            " refused ",
            " dropped ",
            " reclaimed ",
            " duplicated ",
        ];
        let (who, verb, item) = verbs.into_iter().find_map(|verb| {
            let (who, item) = rest.split_once(verb)?;
            Some((who, verb.trim(), item))
        })?;
        let actor = parse_actor(who)?;
        let item = parse_item(item)?;
        let what = match (actor.role, verb) {
            (Role::Consumer, "got") => What::Got(item),
            (Role::Consumer, "dropped") => What::Dropped(item),
            (Role::Consumer, "reclaimed") => What::Reclaimed(item),
            (Role::Consumer, "duplicated") => What::Duplicated(item),
            (Role::Producer, "added") => What::Added(item),
            (Role::Producer, "refused") => What::Refused(item),
            _ => return None,
        };
        return Some(Event { actor, what });
    }
    let (who, status) = line.split_once(": ")?;
    let what = match status {
        "Running" => What::Running,
        "Done" => What::Done,
        "Shut down the queue" => What::ShutDown,
        "Every item put so far is processed" => What::Joined,
        "Killed" => What::Killed,
        _ => return None,
    };
    Some(Event {
        actor: parse_actor(who)?,
        what,
    })
}

/// The thread and the item a panic's message names, if it names both: the
/// line after Rust's `thread '...' panicked at ...`, such as `Consumer 0
/// cannot process (5, 0.87)` or `Consumer failed while working on item (3,
/// 0.41) (as --panic-at asked)`.
pub fn panicked_on(message: &str) -> Option<(Actor, Item)> {
    let mut words = message.splitn(3, ' ');
    let role = words.next()?;
    let second = words.next()?;
    let (who, rest) = match second.parse::<usize>() {
        Ok(_) => (format!("{role} {second}"), words.next()?.to_string()),
        Err(_) => (
            role.to_string(),
            [second, words.next().unwrap_or("")].join(" "),
        ),
    };
    let actor = parse_actor(&who)?;
    let start = rest.find('(')?;
    let end = start + rest[start..].find(')')?;
    Some((actor, parse_item(&rest[start..=end])?))
}

fn parse_actor(text: &str) -> Option<Actor> {
    let (role, id) = match text.split_once(' ') {
        Some((role, id)) => (role, Some(id.parse().ok()?)),
        None => (text, None),
    };
    let role = match role {
        "Producer" | "producer" => Role::Producer,
        "Consumer" | "consumer" => Role::Consumer,
        _ => return None,
    };
    Some(Actor { role, id })
}

fn parse_item(text: &str) -> Option<Item> {
    let (i, value) = text
        .strip_prefix('(')?
        .strip_suffix(')')?
        .split_once(", ")?;
    Some(Item {
        i: i.parse().ok()?,
        value: value.parse().ok()?,
    })
}

/// Reads a program's whole output back into events.
pub fn parse_output(output: &str) -> Result<Vec<Event>, ParseEventError> {
    output.lines().map(str::parse).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_names_its_thread_and_its_item() {
        let item = Item { i: 5, value: 0.5 };
        assert_eq!(
            panicked_on("Consumer 0 cannot process (5, 0.5)"),
            Some((Actor::consumer(0), item))
        );
        let unnumbered = Actor::nth(Role::Consumer, false, 0);
        assert_eq!(
            panicked_on("Consumer failed while working on item (5, 0.5) (as --panic-at asked)"),
            Some((unnumbered, item))
        );
        assert_eq!(panicked_on("a scoped thread panicked"), None);
        assert_eq!(panicked_on("Consumer 0 cannot go on"), None);
    }

    #[test]
    fn every_line_reads_back_as_its_event() {
        let item = Item {
            i: 4,
            value: 0.300_000_000_000_000_04,
        };
        let lines = [
            ("Consumer: Running", Actor::CONSUMER, What::Running),
            ("Producer 2: Done", Actor::producer(2), What::Done),
            (
                ">producer added (4, 0.30000000000000004)",
                Actor::PRODUCER,
                What::Added(item),
            ),
            (
                ">consumer got (4, 0.30000000000000004)",
                Actor::CONSUMER,
                What::Got(item),
            ),
            (
                ">consumer 3 got (4, 0.30000000000000004)",
                Actor::consumer(3),
                What::Got(item),
            ),
            (
                ">producer 1 refused (4, 0.30000000000000004)",
                Actor::producer(1),
                What::Refused(item),
            ),
            (
                ">consumer 1 duplicated (4, 0.30000000000000004)",
                Actor::consumer(1),
                What::Duplicated(item),
            ),
            (
                ">consumer 0 dropped (4, 0.30000000000000004)",
                Actor::consumer(0),
                What::Dropped(item),
            ),
            (
                "Consumer 0: Shut down the queue",
                Actor::consumer(0),
                What::ShutDown,
            ),
            (
                "Producer: Every item put so far is processed",
                Actor::PRODUCER,
                What::Joined,
            ),
        ];
        for (line, actor, what) in lines {
            let event = Event { actor, what };
            assert_eq!(event.to_string(), line);
            assert_eq!(line.parse::<Event>(), Ok(event));
        }
    }

    #[test]
    fn other_lines_are_refused() {
        for line in [
            "",
            "Consumer 2: DoneProducer 1: Done",
            ">consumer added (1, 0.5)",
            ">producer got (1, 0.5)",
            ">consumer refused (1, 0.5)",
            ">producer dropped (1, 0.5)",
            ">consumer got (1, 0.5",
            "Worker: Running",
        ] {
            assert!(line.parse::<Event>().is_err(), "{line:?} was accepted");
        }
    }

    #[test]
    fn marks_are_kept_but_not_read_back() {
        let item = Item { i: 1, value: 0.25 };
        for what in [
            What::Working(item),
            What::Worked(item),
            What::SendingSentinel,
        ] {
            assert!(what.is_mark());
            let line = Event {
                actor: Actor::PRODUCER,
                what,
            }
            .to_string();
            assert!(line.starts_with("[Producer "), "{line}");
            assert!(line.parse::<Event>().is_err(), "{line} was read back");
        }
        assert!(!What::Added(item).is_mark());
    }
}
