//! One producer, one consumer (section 3 of the tutorial).
//!
//! The producer makes ten items, each after some simulated effort, puts
//! them in a shared buffer and then puts the sentinel. The consumer takes
//! items out until it reads the sentinel.
//!
//! Run it with `cargo run -p one-one` (add `-- --help` for the flags).

use std::thread;

use flume::{Receiver, Sender};
use harness::{Actor, Config, Count, Item, Log, Message, Panicked, Section};
use rand::RngExt;

/// This section's shape: one producer of ten items, one consumer.
pub const SECTION: Section = Section {
    name: "one-one",
    about: "One producer, one consumer, and a sentinel that says \"no more items\"",
    version: env!("CARGO_PKG_VERSION"),
    producers: Count::One,
    consumers: Count::One,
    items: 10,
    prints_added: true,

    barrier: false,

    example: false,

    report: None,
};

// ANCHOR: producer
/// Makes `config.items` items, each after simulated work, then sends the
/// sentinel.
fn producer(queue: Sender<Message>, config: &Config, log: &Log) {
    log.running(Actor::PRODUCER);
    let mut rng = config.rng_for(Actor::PRODUCER);
    for i in 0..config.items {
        let item = Item {
            i,
            value: rng.random(),
        };
        config.work_on(Actor::PRODUCER, item, log);
        if queue.send(Message::Item(item)).is_err() {
            break; // The consumer is gone: nobody will read any more items.
        }
        log.added(Actor::PRODUCER, item);
    }
    // Tell the consumer that no more items will come. (This fails only if
    // the consumer is gone, and then there is no one left to tell.)
    log.sending_sentinel(Actor::PRODUCER);
    let _ = queue.send(Message::Sentinel);
    log.done(Actor::PRODUCER);
}
// ANCHOR_END: producer

// ANCHOR: consumer
/// Takes items out of the queue and processes them until the sentinel.
fn consumer(queue: Receiver<Message>, config: &Config, log: &Log) {
    log.running(Actor::CONSUMER);
    // `recv` blocks while the queue is empty. It fails only when every
    // sender is gone, which means the producer ended without a sentinel.
    while let Ok(message) = queue.recv() {
        match message {
            Message::Item(item) => {
                config.work_on(Actor::CONSUMER, item, log);
                log.got(Actor::CONSUMER, item);
            }
            Message::Sentinel => break,
        }
    }
    log.done(Actor::CONSUMER);
}
// ANCHOR_END: consumer

// ANCHOR: run
/// Runs one producer and one consumer over a shared queue, and waits for
/// both to finish.
pub fn run(config: &Config, log: &Log) -> Result<(), Panicked> {
    let (sender, receiver) = config.channel();
    // Scoped threads may borrow `config` and `log`; the scope ends only
    // after every thread in it has been joined.
    thread::scope(|scope| {
        // Each thread takes its end of the channel by value (`move`).
        let consumer = scope.spawn(move || consumer(receiver, config, log));
        let producer = scope.spawn(move || producer(sender, config, log));
        harness::join_all([
            ("the producer".to_string(), producer),
            ("the consumer".to_string(), consumer),
        ])
    })
}
// ANCHOR_END: run
