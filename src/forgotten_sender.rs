//! The most common channel bug: a `Sender` nobody uses, but nobody drops,
//! keeps the channel open, and the consumer's loop never ends. Here the
//! consumer waits with a timeout, so the hang shows itself instead of
//! hanging, and says what is holding the channel open.

use std::thread;
use std::time::Duration;

use flume::{Receiver, RecvTimeoutError, Sender};
use harness::{Actor, Config, Count, Item, Log, Panicked, Section};
use rand::RngExt;

/// One producer of five items, one consumer.
pub const SECTION: Section = Section {
    name: "forgotten_sender",
    about: "A sender clone that is never dropped keeps the channel open; a timeout shows the hang safely",
    version: env!("CARGO_PKG_VERSION"),
    producers: Count::One,
    consumers: Count::One,
    items: 5,
    prints_added: false,
    barrier: false,
    example: true,
    report: None,
};

/// How long the consumer waits for an item before it calls the channel
/// stuck, in simulated seconds (scaled by `--time-scale`, at least 50 ms).
pub const PATIENCE: f64 = 2.0;

fn producer(queue: Sender<Item>, config: &Config, log: &Log) {
    log.running(Actor::PRODUCER);
    let mut rng = config.rng_for(Actor::PRODUCER);
    for i in 0..config.items {
        let item = Item {
            i,
            value: rng.random(),
        };
        config.work_on(Actor::PRODUCER, item, log);
        if queue.send(item).is_err() {
            break;
        }
        log.added(Actor::PRODUCER, item);
    }
    log.done(Actor::PRODUCER);
}

// ANCHOR: consumer
/// Like `for item in queue`, but gives up after `patience` without an
/// item, and says why the channel is still open. Returns how many senders
/// were alive when it gave up, if it had to.
fn consumer(
    queue: Receiver<Item>,
    patience: Duration,
    config: &Config,
    log: &Log,
) -> Option<usize> {
    log.running(Actor::CONSUMER);
    let stuck = loop {
        match queue.recv_timeout(patience) {
            Ok(item) => {
                config.work_on(Actor::CONSUMER, item, log);
                log.got(Actor::CONSUMER, item);
            }
            Err(RecvTimeoutError::Disconnected) => break None, // The normal end.
            Err(RecvTimeoutError::Timeout) => break Some(queue.sender_count()),
        }
    };
    log.done(Actor::CONSUMER);
    stuck
}
// ANCHOR_END: consumer

// ANCHOR: run
/// Runs one producer and one consumer, with the bug, and reports it.
pub fn run(config: &Config, log: &Log) -> Result<(), Panicked> {
    if let Some(senders) = run_with_forgotten_sender(config, log)? {
        eprintln!(
            "the consumer gave up waiting: the producer is done, but the channel is still open \
             ({senders} sender alive); the fix is drop(sender) in run_with_forgotten_sender"
        );
    }
    Ok(())
}

/// Runs one producer and one consumer while this function keeps a sender
/// it never uses. Returns how many senders were alive when the consumer
/// gave up, if it had to.
pub fn run_with_forgotten_sender(config: &Config, log: &Log) -> Result<Option<usize>, Panicked> {
    let patience = Duration::from_secs_f64((PATIENCE * config.time_scale).max(0.05));
    let (sender, receiver) = config.channel();
    // The consumer reports whether it had to give up down a channel of its own.
    let (report, reported) = flume::bounded(1);
    thread::scope(|scope| {
        let consumer = scope.spawn(move || {
            let _ = report.send(consumer(receiver, patience, config, log));
        });
        let for_producer = sender.clone();
        let producer = scope.spawn(move || producer(for_producer, config, log));
        // The bug: `sender` is still alive while the threads run, so the
        // channel cannot disconnect when the producer is done. The fix is
        // one line here: `drop(sender);`
        let joined = harness::join_all([
            ("the producer".to_string(), producer),
            ("the consumer".to_string(), consumer),
        ]);
        drop(sender); // Too late: the consumer has already given up.
        joined
    })?;
    Ok(reported.try_recv().ok().flatten())
}
// ANCHOR_END: run
