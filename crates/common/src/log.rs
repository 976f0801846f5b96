//! The events of a run: who did what, printed as whole lines the moment
//! they happen, and kept (with their time) for tests and pictures.

use std::fmt;
use std::io::{self, Write};
use std::str::FromStr;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

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
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum What {
    /// The thread started.
    Running,
    /// A producer put an item in the buffer.
    Added(Item),
    /// A consumer took an item out and processed it.
    Got(Item),
    /// The thread is about to end.
    Done,
}

/// One event: an actor and what it did. It prints as one line of output.
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
            What::Added(item) => write!(f, ">{} added {item}", lowercase(actor)),
            What::Got(item) => write!(f, ">{} got {item}", lowercase(actor)),
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
        let (who, item) = rest.split_once(" got ").or(rest.split_once(" added "))?;
        let actor = parse_actor(who)?;
        let item = parse_item(item)?;
        let what = match actor.role {
            Role::Consumer if rest.contains(" got ") => What::Got(item),
            Role::Producer if rest.contains(" added ") => What::Added(item),
            _ => return None,
        };
        return Some(Event { actor, what });
    }
    let (who, status) = line.split_once(": ")?;
    let what = match status {
        "Running" => What::Running,
        "Done" => What::Done,
        _ => return None,
    };
    Some(Event {
        actor: parse_actor(who)?,
        what,
    })
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

/// Where a run's events go: printed to standard output, kept in memory, or
/// both.
#[derive(Debug)]
pub struct Log {
    start: Instant,
    print: bool,
    keep: bool,
    // One lock for printing and keeping, so the kept order is the printed one.
    kept: Mutex<Vec<(Duration, Event)>>,
}

impl Log {
    /// Prints each event as it happens (what the programs do).
    pub fn printing() -> Log {
        Log::new(true, false)
    }

    /// Keeps the events in memory and prints nothing (what tests use).
    pub fn keeping() -> Log {
        Log::new(false, true)
    }

    /// Prints each event and keeps it too.
    pub fn printing_and_keeping() -> Log {
        Log::new(true, true)
    }

    fn new(print: bool, keep: bool) -> Log {
        Log {
            start: Instant::now(),
            print,
            keep,
            kept: Mutex::new(Vec::new()),
        }
    }

    /// Records that `actor` did `what`, printing it as one whole line.
    pub fn event(&self, actor: Actor, what: What) {
        let event = Event { actor, what };
        // A thread that panicked while holding the lock cannot have left the
        // list half-written (a push is all it does), so go on past poisoning.
        let mut kept = self.kept.lock().unwrap_or_else(PoisonError::into_inner);
        if self.print {
            // Each line is written under stdout's lock, so it is never split.
            // A closed stdout (as in `| head`) is not an error of the run.
            let _ = writeln!(io::stdout().lock(), "{event}");
        }
        if self.keep {
            kept.push((self.start.elapsed(), event));
        }
    }

    /// `actor` started.
    pub fn running(&self, actor: Actor) {
        self.event(actor, What::Running);
    }

    /// `actor` put `item` in the buffer.
    pub fn added(&self, actor: Actor, item: Item) {
        self.event(actor, What::Added(item));
    }

    /// `actor` processed `item`.
    pub fn got(&self, actor: Actor, item: Item) {
        self.event(actor, What::Got(item));
    }

    /// `actor` is about to end.
    pub fn done(&self, actor: Actor) {
        self.event(actor, What::Done);
    }

    /// The kept events, in the order they happened.
    pub fn events(&self) -> Vec<Event> {
        self.timed_events().into_iter().map(|(_, e)| e).collect()
    }

    /// The kept events with the time each happened, since the log was made.
    pub fn timed_events(&self) -> Vec<(Duration, Event)> {
        self.kept
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_line_reads_back_as_its_event() {
        let item = Item {
            i: 4,
            value: 0.30000000000000004,
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
            ">consumer got (1, 0.5",
            "Worker: Running",
        ] {
            assert!(line.parse::<Event>().is_err(), "{line:?} was accepted");
        }
    }

    #[test]
    fn kept_events_are_in_order_with_times() {
        let log = Log::keeping();
        log.running(Actor::PRODUCER);
        log.done(Actor::PRODUCER);
        let events = log.timed_events();
        assert_eq!(events.len(), 2);
        assert!(events[0].0 <= events[1].0);
        assert_eq!(events[1].1.what, What::Done);
    }
}
