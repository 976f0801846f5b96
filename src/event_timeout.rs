//! One producer, many consumers, stopped by a shared flag instead of a
//! sentinel: the tutorial's `threading.Event` alternative. Consumers wait
//! for items with a timeout, and look at the flag each time a wait runs out.

use std::panic::{self, AssertUnwindSafe};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use flume::{Receiver, RecvTimeoutError, Sender};
use harness::{Actor, Config, Count, Item, Log, Panicked, Section};
use rand::RngExt;

/// One producer of ten items, three consumers, as in `one-many`.
pub const SECTION: Section = Section {
    name: "event_timeout",
    about: "One producer, many consumers: a stop flag that consumers check whenever a wait for an item times out",
    version: env!("CARGO_PKG_VERSION"),
    producers: Count::One,
    consumers: Count::Many(3),
    items: 10,
    prints_added: false,
    barrier: false,
    example: true,
    report: None,
};

/// How long a consumer waits for an item before it looks at the flag, in
/// simulated seconds (scaled by `--time-scale`, at least a millisecond).
pub const TIMEOUT: f64 = 0.1;

/// What polling cost one consumer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Polling {
    /// Waits that ran out with no item: the consumer woke up for nothing.
    pub idle_wakeups: usize,
    /// From the moment the flag was set until this consumer stopped.
    pub shutdown_latency: Duration,
}

// ANCHOR: producer
/// Makes its items, then sets the stop flag (the tutorial's `event.set()`).
fn producer(queue: Sender<Item>, stop: &Stop, config: &Config, log: &Log) {
    log.running(Actor::PRODUCER);
    // Even if making the items panics, the flag must be set: the channel
    // never closes here, so without it the consumers would poll forever.
    let made = panic::catch_unwind(AssertUnwindSafe(|| make_items(&queue, config, log)));
    stop.set();
    match made {
        Ok(()) => log.done(Actor::PRODUCER),
        Err(payload) => panic::resume_unwind(payload),
    }
}

/// Makes `config.items` items, each after simulated work, and sends them.
fn make_items(queue: &Sender<Item>, config: &Config, log: &Log) {
    let mut rng = config.rng_for(Actor::PRODUCER);
    for i in 0..config.items {
        let item = Item {
            i,
            value: rng.random(),
        };
        config.work_on(Actor::PRODUCER, item, log);
        if queue.send(item).is_err() {
            break; // Every consumer is gone.
        }
        log.added(Actor::PRODUCER, item);
    }
}
// ANCHOR_END: producer

// ANCHOR: consumer
/// Processes items, and each time a wait runs out, checks the flag.
fn consumer(
    me: Actor,
    queue: Receiver<Item>,
    stop: &Stop,
    timeout: Duration,
    config: &Config,
    log: &Log,
) -> Polling {
    log.running(me);
    let mut idle_wakeups = 0;
    loop {
        match queue.recv_timeout(timeout) {
            Ok(item) => {
                config.work_on(me, item, log);
                log.got(me, item);
            }
            Err(RecvTimeoutError::Timeout) => {
                idle_wakeups += 1;
                if stop.is_set() {
                    // The producer sent its last items before it set the
                    // flag: take whatever is still buffered, then stop.
                    for item in queue.try_iter() {
                        config.work_on(me, item, log);
                        log.got(me, item);
                    }
                    break;
                }
            }
            Err(RecvTimeoutError::Disconnected) => break,
        }
    }
    let shutdown_latency = stop.since();
    log.done(me);
    Polling {
        idle_wakeups,
        shutdown_latency,
    }
}
// ANCHOR_END: consumer

/// The stop flag, and when it was set (to measure how long stopping takes).
#[derive(Debug, Default)]
struct Stop {
    flag: AtomicBool,
    set_at: Mutex<Option<Instant>>,
}

impl Stop {
    fn set(&self) {
        *self.set_at.lock().unwrap_or_else(|e| e.into_inner()) = Some(Instant::now());
        self.flag.store(true, Ordering::Release);
    }

    fn is_set(&self) -> bool {
        self.flag.load(Ordering::Acquire)
    }

    fn since(&self) -> Duration {
        let set_at = *self.set_at.lock().unwrap_or_else(|e| e.into_inner());
        set_at.map_or(Duration::ZERO, |at| at.elapsed())
    }
}

/// Runs the producer and `config.consumers` consumers with the default
/// timeout.
pub fn run(config: &Config, log: &Log) -> Result<(), Panicked> {
    let timeout = Duration::from_secs_f64((TIMEOUT * config.time_scale).max(0.001));
    run_with_timeout(config, log, timeout).map(|_| ())
}

// ANCHOR: run
/// Runs the producer and `config.consumers` consumers, waiting at most
/// `timeout` for each item; returns what polling cost each consumer.
pub fn run_with_timeout(
    config: &Config,
    log: &Log,
    timeout: Duration,
) -> Result<Vec<Polling>, Panicked> {
    let (sender, receiver) = config.channel();
    let stop = Stop::default();
    // Each consumer sends what polling cost it down a channel of its own.
    let (costs, polling) = flume::unbounded();
    thread::scope(|scope| {
        let mut threads = Vec::new();
        for id in 0..config.consumers {
            let (me, receiver, stop, costs) =
                (Actor::consumer(id), receiver.clone(), &stop, costs.clone());
            let consumer = scope.spawn(move || {
                let _ = costs.send(consumer(me, receiver, stop, timeout, config, log));
            });
            threads.push((format!("consumer {id}"), consumer));
        }
        // Only the consumers receive: if they all panic, `send` fails and
        // the producer stops, instead of waiting for a reader forever.
        drop(receiver);
        // This thread keeps `sender`, as Python's shared queue stays open:
        // the channel never closes, so only the flag can stop the consumers.
        let producer = scope.spawn(|| producer(sender.clone(), &stop, config, log));
        threads.insert(0, ("the producer".to_string(), producer));
        harness::join_all(threads)
    })?;
    drop(costs);
    Ok(polling.iter().collect())
}
// ANCHOR_END: run
