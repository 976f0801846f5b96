//! Backpressure: a fast producer and a slow consumer, with a bounded buffer
//! or an unbounded one.
//!
//! The producer makes items ten times faster than the consumer processes
//! them. With `--capacity 100` (the tutorial's `maxsize=100`) the buffer
//! fills up and the producer waits in `send`: it is held back to the
//! consumer's pace. Without a capacity nothing holds it back, and the items
//! pile up in memory. After the run, a report on stderr says how many items
//! waited at most and how long the producer waited.

use std::sync::{Mutex, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use flume::Sender;
use harness::{Actor, Config, Count, Item, Log, Panicked, Section};
use rand::RngExt;

use crate::disconnect::consumer;

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
    report: None,
};

/// How much faster the producer is than the consumer.
const FASTER: f64 = 10.0;

/// The consumer's effort per item, as a share of the tutorial's (which
/// averages half a second): 300 items take about 3 s.
const EFFORT: f64 = 0.02;

/// What backpressure did to a run, as the producer measured it.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Pressure {
    /// The most items in the buffer at once, right after a `send`.
    pub most_waiting: usize,
    /// How long the producer waited in `send`, in all.
    pub producer_blocked: Duration,
    /// How long the run took.
    pub run: Duration,
}

// ANCHOR: measure
/// Makes its items and sends them, measuring as it goes: how long each
/// `send` waits for room, and how many items are in the buffer just after.
/// Two numbers, however many items the run makes.
fn producer(me: Actor, queue: Sender<Item>, config: &Config, log: &Log) -> Pressure {
    log.running(me);
    let mut rng = config.rng_for(me);
    let mut pressure = Pressure::default();
    for i in 0..config.items {
        let item = Item {
            i,
            value: rng.random(),
        };
        config.work_on(me, item, log);
        let sending = Instant::now();
        if queue.send(item).is_err() {
            break; // The consumer is gone.
        }
        pressure.producer_blocked += sending.elapsed();
        pressure.most_waiting = pressure.most_waiting.max(queue.len());
        log.added(me, item);
    }
    log.done(me);
    pressure
}
// ANCHOR_END: measure

// ANCHOR: run
/// Runs the fast producer and the slow consumer, and prints the report.
pub fn run(config: &Config, log: &Log) -> Result<(), Panicked> {
    let pressure = run_measured(config, log)?;
    eprint!("{}", report(&pressure));
    Ok(())
}

/// Runs the fast producer and the slow consumer, and says what
/// backpressure did.
pub fn run_measured(config: &Config, log: &Log) -> Result<Pressure, Panicked> {
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
    let measured = Mutex::new(Pressure::default());
    let started = Instant::now();
    thread::scope(|scope| {
        let me = Actor::CONSUMER;
        let consumer = scope.spawn(move || consumer(me, receiver, slow, log));
        let me = Actor::PRODUCER;
        let measured = &measured;
        let producer = scope.spawn(move || {
            let pressure = producer(me, sender, fast, log);
            *measured.lock().unwrap_or_else(PoisonError::into_inner) = pressure;
        });
        harness::join_all([
            ("the consumer".to_string(), consumer),
            ("the producer".to_string(), producer),
        ])
    })?;
    let pressure = measured
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner);
    Ok(Pressure {
        run: started.elapsed(),
        ..pressure
    })
}
// ANCHOR_END: run

/// The report printed on stderr after a run.
pub fn report(pressure: &Pressure) -> String {
    let Pressure {
        most_waiting,
        producer_blocked,
        run,
    } = *pressure;
    let bytes = most_waiting * size_of::<Item>();
    format!(
        "backpressure: at most {most_waiting} items waited in the buffer ({bytes} bytes of \
         {}-byte items); the producer waited {:.2} s in send, in a run of {:.2} s\n",
        size_of::<Item>(),
        producer_blocked.as_secs_f64(),
        run.as_secs_f64()
    )
}
