//! What a section is (its shape) and how one run of it is set up.

use crate::log::{Actor, Role};

/// How many threads of one role a section runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Count {
    /// Exactly one, printed without a number (`Producer: Running`).
    One,
    /// Several, numbered from 0 (`Producer 2: Running`); the number is the
    /// default, and `--producers` or `--consumers` changes it.
    Many(usize),
}

impl Count {
    /// Whether threads of this role print their number.
    pub fn numbered(self) -> bool {
        matches!(self, Count::Many(_))
    }

    /// How many run when the command line does not say.
    pub fn default_count(self) -> usize {
        match self {
            Count::One => 1,
            Count::Many(n) => n,
        }
    }
}

/// The fixed shape of a tutorial section: who runs and what it prints.
#[derive(Debug, Clone, Copy)]
pub struct Section {
    /// The crate's name, which is also the command's name.
    pub name: &'static str,
    /// Producer threads.
    pub producers: Count,
    /// Consumer threads.
    pub consumers: Count,
    /// Items per producer by default.
    pub items: usize,
    /// Whether producers print `>producer added (i, value)`.
    pub prints_added: bool,
    /// Whether producers wait at a barrier before the sentinel goes out.
    pub barrier: bool,
    /// Whether it runs as an example (`cargo run --example NAME`) rather
    /// than as a crate (`cargo run -p NAME`).
    pub example: bool,
    /// Whether its shutdown is a sentinel (drawn on its timeline).
    pub sentinel: bool,
}

/// The most threads of one role a program starts (`common` refuses more).
pub const MAX_THREADS: usize = 1_000;

/// The settings of one run.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// Producer threads.
    pub producers: usize,
    /// Consumer threads.
    pub consumers: usize,
    /// Items each producer makes.
    pub items: usize,
    /// Where every producer's random numbers come from.
    pub seed: u64,
    /// Multiplies every simulated sleep; 0 means no sleeping.
    pub time_scale: f64,
    /// Buffer slots: `None` is unbounded, `Some(0)` a rendezvous.
    pub capacity: Option<usize>,
    /// A thread that panics on purpose while working on an item, to show
    /// how the program copes (`--panic-at`).
    pub panic_at: Option<PanicAt>,
}

/// A planned panic: `actor` panics when it starts work on item number `i`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PanicAt {
    /// The thread that panics.
    pub actor: Actor,
    /// The item number (`i` of `(i, value)`) it panics on.
    pub i: usize,
}

impl std::str::FromStr for PanicAt {
    type Err = String;

    /// Reads `producer:3`, `consumer-2:0` and the like.
    fn from_str(text: &str) -> Result<PanicAt, String> {
        let usage = || format!("expected WHO:I, such as consumer:3 or producer-1:0, not {text:?}");
        let (who, i) = text.split_once(':').ok_or_else(usage)?;
        let (role, id) = match who.split_once('-') {
            Some((role, id)) => (role, Some(id.parse().map_err(|_| usage())?)),
            None => (who, None),
        };
        let role = match role {
            "producer" => Role::Producer,
            "consumer" => Role::Consumer,
            _ => return Err(usage()),
        };
        let i = i.parse().map_err(|_| usage())?;
        Ok(PanicAt {
            actor: Actor { role, id },
            i,
        })
    }
}

impl Config {
    /// The section's defaults, with the given seed.
    pub fn new(section: &Section, seed: u64) -> Config {
        Config {
            producers: section.producers.default_count(),
            consumers: section.consumers.default_count(),
            items: section.items,
            seed,
            time_scale: 1.0,
            capacity: None,
            panic_at: None,
        }
    }

    /// Items made (and so consumed) in the whole run.
    pub fn total_items(&self) -> usize {
        self.producers.saturating_mul(self.items)
    }

    /// The command that repeats this run of `section`: only the flags the
    /// section takes, so it can be pasted into a shell as it is.
    pub fn command(&self, section: &Section) -> String {
        let how = if section.example { "--example" } else { "-p" };
        let mut line = format!("cargo run {how} {} --", section.name);
        if section.producers.numbered() {
            line.push_str(&format!(" --producers {}", self.producers));
        }
        if section.consumers.numbered() {
            line.push_str(&format!(" --consumers {}", self.consumers));
        }
        line.push_str(&format!(
            " --items {} --seed {} --time-scale {}",
            self.items, self.seed, self.time_scale
        ));
        if let Some(slots) = self.capacity {
            line.push_str(&format!(" --capacity {slots}"));
        }
        if let Some(PanicAt { actor, i }) = self.panic_at {
            let name = actor.flag_name();
            line.push_str(&format!(" --panic-at {name}:{i}"));
        }
        line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MANY_MANY: Section = Section {
        name: "many-many",
        producers: Count::Many(3),
        consumers: Count::Many(5),
        items: 10,
        prints_added: false,

        barrier: true,

        example: false,
        sentinel: true,
    };

    fn config() -> Config {
        Config::new(&MANY_MANY, 1)
    }

    #[test]
    fn defaults_come_from_the_section() {
        let config = config();
        assert_eq!(
            (config.producers, config.consumers, config.items),
            (3, 5, 10)
        );
    }

    #[test]
    fn panic_at_reads_who_and_which_item() {
        let at: PanicAt = "consumer-2:7".parse().unwrap();
        assert_eq!(
            at,
            PanicAt {
                actor: Actor::consumer(2),
                i: 7
            }
        );
        let at: PanicAt = "producer:0".parse().unwrap();
        assert_eq!(
            at,
            PanicAt {
                actor: Actor::PRODUCER,
                i: 0
            }
        );
        for bad in [
            "",
            "consumer",
            "worker:1",
            "consumer-x:1",
            "consumer:-1",
            "producer-1:",
        ] {
            assert!(bad.parse::<PanicAt>().is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn the_command_repeats_the_run() {
        let mut config = config();
        config.capacity = Some(0);
        config.panic_at = Some(PanicAt {
            actor: Actor::consumer(4),
            i: 2,
        });
        let command = config.command(&MANY_MANY);
        assert_eq!(
            command,
            "cargo run -p many-many -- --producers 3 --consumers 5 --items 10 --seed 1 \
             --time-scale 1 --capacity 0 --panic-at consumer-4:2"
        );
        let args = command.split_whitespace().skip(5);
        let parsed = crate::cli::parse(&MANY_MANY, std::iter::once("many-many").chain(args));
        let Ok(crate::cli::Request::Run { config: parsed, .. }) = parsed else {
            panic!("{command} does not parse: {parsed:?}");
        };
        assert_eq!(parsed, config);
    }
}
