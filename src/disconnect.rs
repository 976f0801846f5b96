//! Shutdown by disconnection, the Rust way: no sentinel at all.
//!
//! Each producer owns a `Sender` and drops it when it has sent its last
//! item. When the last `Sender` is gone, the channel is *disconnected*:
//! consumers receive whatever is still buffered, and then their loop ends.
//! The same code runs every configuration: `--producers 1 --consumers 1`,
//! many to one, one to many, many to many.

use std::thread;

use flume::{Receiver, Sender};
use harness::{Actor, Config, Count, Item, Log, Panicked, Role, Section};
use rand::RngExt;

/// Three producers and five consumers by default; both can be changed.
pub const SECTION: Section = Section {
    name: "disconnect",
    about: "Shutdown without a sentinel: the channel closes when the last sender is dropped",
    version: env!("CARGO_PKG_VERSION"),
    producers: Count::Many(3),
    consumers: Count::Many(5),
    items: 10,
    prints_added: false,
    barrier: false,
    example: true,
    report: None,
};

// ANCHOR: producer
/// Makes its items and sends them. Returning drops `queue`, this
/// producer's `Sender`: that is its whole shutdown.
pub(crate) fn producer(me: Actor, queue: Sender<Item>, config: &Config, log: &Log) {
    log.running(me);
    let mut rng = config.rng_for(me);
    for i in 0..config.items {
        let item = Item {
            i,
            value: rng.random(),
        };
        config.work_on(me, item, log);
        if queue.send(item).is_err() {
            break; // Every consumer is gone.
        }
        log.added(me, item);
    }
    log.done(me);
}
// ANCHOR_END: producer

// ANCHOR: consumer
/// Processes items until the channel is empty and disconnected.
pub(crate) fn consumer(me: Actor, queue: Receiver<Item>, config: &Config, log: &Log) {
    log.running(me);
    // The iterator blocks while the channel is empty, and ends once it is
    // empty and every sender has been dropped.
    for item in queue {
        config.work_on(me, item, log);
        log.got(me, item);
    }
    log.done(me);
}
// ANCHOR_END: consumer

/// Runs `config.producers` producers and `config.consumers` consumers.
pub fn run(config: &Config, log: &Log) -> Result<(), Panicked> {
    run_with(&SECTION, config, log, producer, consumer)
}

/// A producer thread's work: the `Sender` is its own, to drop when done.
pub(crate) type Producer = fn(Actor, Sender<Item>, &Config, &Log);
/// A consumer thread's work: the `Receiver` is its own.
pub(crate) type Consumer = fn(Actor, Receiver<Item>, &Config, &Log);

// ANCHOR: run
/// Runs the `producer` and `consumer` threads of `section` on one channel,
/// and joins them all. (`consumer_panic` and `consumers_gone` use it too,
/// with producers and consumers of their own.)
pub(crate) fn run_with(
    section: &Section,
    config: &Config,
    log: &Log,
    producer: Producer,
    consumer: Consumer,
) -> Result<(), Panicked> {
    let (sender, receiver) = config.channel();
    thread::scope(|scope| {
        let mut threads = Vec::new();
        for id in 0..config.consumers {
            let me = Actor::nth(Role::Consumer, section.consumers, id);
            let receiver = receiver.clone();
            let consumer = scope.spawn(move || consumer(me, receiver, config, log));
            threads.push((me.to_string().to_lowercase(), consumer));
        }
        for id in 0..config.producers {
            let me = Actor::nth(Role::Producer, section.producers, id);
            let sender = sender.clone();
            let producer = scope.spawn(move || producer(me, sender, config, log));
            threads.push((me.to_string().to_lowercase(), producer));
        }
        // The originals must go too: a sender kept here would hold the
        // channel open, and the consumers would wait forever.
        drop((sender, receiver));
        // Every thread is joined, whatever the others did; the ones that
        // panicked come back as an error naming them.
        harness::join_all(threads)
    })
}
// ANCHOR_END: run
