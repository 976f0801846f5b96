//! Backpressure: a fast producer and a slow consumer, with a bounded buffer
//! or an unbounded one.
//!
//! The producer makes items ten times faster than the consumer processes
//! them. With `--capacity 100` (the tutorial's `maxsize=100`) the buffer
//! fills up and the producer waits in `send`: it is held back to the
//! consumer's pace. Without a capacity nothing holds it back, and the items
//! pile up in memory. After the run, a report on stderr says how many items
//! waited at most and how long the producer waited.

use std::thread;
use std::time::Duration;

use common::{Actor, Config, Count, Event, Item, Log, Panicked, Role, Section, What};

use crate::disconnect::{consumer, producer};

/// One fast producer, one slow consumer, 300 items.
pub const SECTION: Section = Section {
    name: "backpressure",
    about: "A producer ten times faster than its consumer: a bounded buffer holds it back, \
            an unbounded one lets items pile up",
    version: env!("CARGO_PKG_VERSION"),
    producers: Count::One,
    consumers: Count::One,
    items: 300,
    prints_added: false,
    barrier: false,
    example: true,
    report: Some(report),
};

/// How much faster the producer is than the consumer.
const FASTER: f64 = 10.0;

/// The consumer's effort per item, as a share of the tutorial's (which
/// averages half a second): 300 items take about 3 s.
const EFFORT: f64 = 0.02;

// ANCHOR: run
/// Runs the fast producer and the slow consumer.
pub fn run(config: &Config, log: &Log) -> Result<(), Panicked> {
    let (sender, receiver) = config.channel();
    let slow = Config {
        time_scale: config.time_scale * EFFORT,
        ..config.clone()
    };
    let fast = Config {
        time_scale: slow.time_scale / FASTER,
        ..config.clone()
    };
    let (slow, fast) = (&slow, &fast);
    thread::scope(|scope| {
        let me = Actor::CONSUMER;
        let consumer = scope.spawn(move || consumer(me, receiver, slow, log));
        let me = Actor::PRODUCER;
        let producer = scope.spawn(move || producer(me, sender, fast, log));
        common::join_all([
            ("the consumer".to_string(), consumer),
            ("the producer".to_string(), producer),
        ])
    })
}
// ANCHOR_END: run

/// What the run's events say about backpressure.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pressure {
    /// The most items in the buffer at once.
    pub most_waiting: usize,
    /// How long the producer waited in `send`, in all.
    pub producer_blocked: Duration,
    /// How long the run took.
    pub run: Duration,
}

// ANCHOR: measure
/// Reads the pressure off a run's timed events: an item is in the buffer
/// from the producer's `added` to the consumer taking it (the start of its
/// work), and the producer waits in `send` from the end of its work on an
/// item to `added`. (The consumer's mark comes a moment after it takes the
/// item, so the count is capped at the buffer's capacity.)
pub fn pressure(config: &Config, events: &[(Duration, Event)]) -> Pressure {
    let (mut waiting, mut most_waiting) = (0_i64, 0_i64);
    let mut producer_blocked = Duration::ZERO;
    let mut made_at = Duration::ZERO;
    for &(at, event) in events {
        match (event.actor.role, event.what) {
            (Role::Producer, What::Worked(_)) => made_at = at,
            (Role::Producer, What::Added(_)) => {
                producer_blocked += at.saturating_sub(made_at);
                waiting += 1;
                most_waiting = most_waiting.max(waiting);
            }
            (Role::Consumer, What::Working(_)) => waiting -= 1,
            _ => {}
        }
    }
    Pressure {
        most_waiting: (most_waiting.max(0) as usize).min(config.capacity.unwrap_or(usize::MAX)),
        producer_blocked,
        run: events.last().map_or(Duration::ZERO, |&(at, _)| at),
    }
}
// ANCHOR_END: measure

/// The report printed on stderr after a run.
pub fn report(config: &Config, events: &[(Duration, Event)]) -> String {
    let Pressure {
        most_waiting,
        producer_blocked,
        run,
    } = pressure(config, events);
    let bytes = most_waiting * size_of::<Item>();
    format!(
        "backpressure: at most {most_waiting} items waited in the buffer ({bytes} bytes of \
         {}-byte items); the producer waited {:.2} s in send, in a run of {:.2} s\n",
        size_of::<Item>(),
        producer_blocked.as_secs_f64(),
        run.as_secs_f64()
    )
}
