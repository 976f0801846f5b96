//! What a section is (its shape) and how one run of it is set up.

use std::thread;
use std::time::Duration;

use rand::rngs::StdRng;

use crate::item::{Item, producer_rng};
use crate::log::{Actor, Log, Role, What};

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

    fn default_count(self) -> usize {
        match self {
            Count::One => 1,
            Count::Many(n) => n,
        }
    }
}

/// A section's summary of a run, from its settings and timed events.
pub type Report = fn(&Config, &[(std::time::Duration, crate::Event)]) -> String;

/// The fixed shape of a tutorial section: who runs and what it prints.
#[derive(Debug, Clone, Copy)]
pub struct Section {
    /// The crate's name, which is also the command's name.
    pub name: &'static str,
    /// One line for `--help`.
    pub about: &'static str,
    /// The crate's version, for `--version`.
    pub version: &'static str,
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
    /// A summary of the run, printed on stderr after it: it reads the
    /// run's settings and timed events (marks included).
    pub report: Option<Report>,
}

/// The most threads of one role a run may start.
pub const MAX_THREADS: usize = 1_000;
/// The most items a run may make in all.
pub const MAX_TOTAL_ITEMS: usize = 100_000_000;
/// The largest `--time-scale`.
pub const MAX_TIME_SCALE: f64 = 1_000.0;
/// The longest a run may expect to sleep, in seconds (one hour).
pub const MAX_EXPECTED_SECONDS: f64 = 3_600.0;

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

    /// Refuses settings that cannot run, or would run for hours, with a
    /// message that says which setting to change.
    pub fn validate(&self, section: &Section) -> Result<(), String> {
        for (role, count, wanted) in [
            ("producers", self.producers, section.producers),
            ("consumers", self.consumers, section.consumers),
        ] {
            if wanted == Count::One && count != 1 {
                return Err(format!("{} runs exactly one of its {role}", section.name));
            }
            if count == 0 {
                return Err(format!("--{role} must be at least 1"));
            }
            if count > MAX_THREADS {
                return Err(format!(
                    "--{role} {count} is too many threads; the most is {MAX_THREADS}"
                ));
            }
        }
        if self.total_items() > MAX_TOTAL_ITEMS {
            return Err(format!(
                "{} producers x {} items is too many; the most is {MAX_TOTAL_ITEMS} in all",
                self.producers, self.items
            ));
        }
        if !self.time_scale.is_finite() || self.time_scale < 0.0 {
            return Err(format!(
                "--time-scale must be a finite number >= 0, not {}",
                self.time_scale
            ));
        }
        if self.time_scale > MAX_TIME_SCALE {
            return Err(format!(
                "--time-scale {} is too large; the most is {MAX_TIME_SCALE}",
                self.time_scale
            ));
        }
        if let Some(PanicAt { actor, i }) = self.panic_at {
            let count = match actor.role {
                Role::Producer => (self.producers, section.producers),
                Role::Consumer => (self.consumers, section.consumers),
            };
            let exists = match (actor.id, count) {
                (None, (_, Count::One)) => true,
                (Some(id), (n, Count::Many(_))) => id < n,
                _ => false,
            };
            let name = actor.flag_name();
            if !exists {
                return Err(format!(
                    "--panic-at names {name}, which this run does not have"
                ));
            }
            if i >= self.items {
                return Err(format!(
                    "--panic-at {name}:{i}: items are numbered 0 to {}",
                    self.items.saturating_sub(1)
                ));
            }
        }
        let seconds = self.expected_seconds();
        if seconds > MAX_EXPECTED_SECONDS {
            return Err(format!(
                "this run would take about {:.1} hours of simulated effort; \
                 lower --time-scale or --items",
                seconds / 3_600.0
            ));
        }
        Ok(())
    }

    /// About how long a run sleeps: values average 0.5 s, each producer
    /// sleeps once per item, and the consumers share one sleep per item.
    pub fn expected_seconds(&self) -> f64 {
        let per_producer = self.items as f64;
        let per_consumer = self.total_items() as f64 / self.consumers.max(1) as f64;
        0.5 * self.time_scale * per_producer.max(per_consumer)
    }

    /// The random number generator of a producer: each has its own, from
    /// the run's seed and the producer's number (0 for a lone producer).
    pub fn rng_for(&self, producer: Actor) -> StdRng {
        producer_rng(self.seed, producer.id.unwrap_or(0))
    }

    // ANCHOR: channel
    /// The shared buffer: a flume channel, bounded when `capacity` is set.
    ///
    /// Unlike Python's `queue.Queue(maxsize=0)`, which is unbounded, a
    /// flume channel of capacity 0 is a *rendezvous*: every `send` waits
    /// until a receiver takes the message.
    pub fn channel<T>(&self) -> (flume::Sender<T>, flume::Receiver<T>) {
        match self.capacity {
            Some(slots) => flume::bounded(slots),
            None => flume::unbounded(),
        }
    }
    // ANCHOR_END: channel

    // ANCHOR: effort
    /// Simulated work on an item: sleeps `item.value` seconds times the time
    /// scale, and marks the start and end in the log for timelines. Panics
    /// instead if `--panic-at` names this thread and item.
    pub fn work_on(&self, actor: Actor, item: Item, log: &Log) {
        log.event(actor, What::Working(item));
        let effort = self.effort(actor, item);
        // Asking the system for a sleep costs tens of microseconds, however
        // short the sleep: below a microsecond, the effort is no effort.
        if effort >= Duration::from_micros(1) {
            thread::sleep(effort);
        }
        log.event(actor, What::Worked(item));
    }
    // ANCHOR_END: effort

    /// How long `actor` works on `item`: `item.value` seconds times the time
    /// scale. Panics instead if `--panic-at` names this thread and item.
    pub fn effort(&self, actor: Actor, item: Item) -> Duration {
        if self.panic_at == Some(PanicAt { actor, i: item.i }) {
            panic!("{actor} failed while working on item {item} (as --panic-at asked)");
        }
        Duration::from_secs_f64(item.value * self.time_scale)
    }
}

impl Config {
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
        about: "",
        version: "0",
        producers: Count::Many(3),
        consumers: Count::Many(5),
        items: 10,
        prints_added: false,

        barrier: true,

        example: false,
        sentinel: true,

        report: None,
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
        assert_eq!(config.validate(&MANY_MANY), Ok(()));
    }

    #[test]
    fn refuses_settings_that_cannot_run() {
        type Change = fn(&mut Config);
        let cases: [(Change, &str); 9] = [
            (|c| c.producers = 0, "--producers must be at least 1"),
            (|c| c.consumers = 5_000, "too many threads"),
            (|c| c.time_scale = f64::NAN, "finite number"),
            (|c| c.time_scale = -1.0, "finite number"),
            (|c| c.items = usize::MAX, "too many"),
            (|c| c.items = 100_000, "hours of simulated effort"),
            (
                |c| c.panic_at = Some("consumer-5:0".parse().unwrap()),
                "names consumer-5, which",
            ),
            (
                |c| c.panic_at = Some("producer:0".parse().unwrap()),
                "names producer, which",
            ),
            (
                |c| c.panic_at = Some("producer-2:10".parse().unwrap()),
                "numbered 0 to 9",
            ),
        ];
        for (change, expected) in cases {
            let mut config = config();
            change(&mut config);
            let error = config.validate(&MANY_MANY).unwrap_err();
            assert!(error.contains(expected), "{error:?} lacks {expected:?}");
        }
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
    #[should_panic(expected = "Consumer 2 failed while working on item (3, 0.5)")]
    fn work_on_panics_where_asked() {
        let mut config = config();
        config.time_scale = 0.0;
        config.panic_at = Some("consumer-2:3".parse().unwrap());
        let log = Log::keeping();
        config.work_on(Actor::consumer(1), Item { i: 3, value: 0.5 }, &log);
        config.work_on(Actor::consumer(2), Item { i: 2, value: 0.5 }, &log);
        assert_eq!(log.events().len(), 4, "two starts and two ends");
        config.work_on(Actor::consumer(2), Item { i: 3, value: 0.5 }, &log);
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

    #[test]
    fn a_long_run_is_fine_without_sleeping() {
        let mut config = config();
        config.items = 100_000;
        config.time_scale = 0.0;
        assert_eq!(config.validate(&MANY_MANY), Ok(()));
    }
}
