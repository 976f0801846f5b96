//! One producer, many consumers (section 5 of the tutorial).
//!
//! One sentinel stops only the consumer that reads it. So each consumer
//! that reads the sentinel puts it back before it stops, and the sentinel
//! passes from consumer to consumer until all of them have stopped.
//!
//! Run it with `cargo run -p one-many` (add `-- --help` for the flags).

use std::panic::{self, AssertUnwindSafe};
use std::thread;

use flume::{Receiver, Sender};
use harness::{Actor, Config, Count, Item, Log, Message, Panicked, Section};
use rand::RngExt;

/// This section's shape: one producer of ten items, three consumers.
pub const SECTION: Section = Section {
    name: "one-many",
    about: "One producer, many consumers: each consumer passes the sentinel on before it stops",
    version: env!("CARGO_PKG_VERSION"),
    producers: Count::One,
    consumers: Count::Many(3),
    items: 10,
    prints_added: false,

    barrier: false,

    example: false,

    report: None,
};

// ANCHOR: producer
/// Makes its items, then sends the sentinel.
fn producer(queue: Sender<Message>, config: &Config, log: &Log) {
    log.running(Actor::PRODUCER);
    // Even if making the items panics, the sentinel must go out: every
    // consumer holds a sender too, so the channel never closes by itself,
    // and without a sentinel the consumers would wait forever.
    let made = panic::catch_unwind(AssertUnwindSafe(|| {
        make_items(Actor::PRODUCER, &queue, config, log)
    }));
    log.sending_sentinel(Actor::PRODUCER);
    let _ = queue.send(Message::Sentinel);
    match made {
        Ok(()) => log.done(Actor::PRODUCER),
        Err(payload) => panic::resume_unwind(payload),
    }
}

/// Makes `config.items` items, each after simulated work, and sends them.
fn make_items(me: Actor, queue: &Sender<Message>, config: &Config, log: &Log) {
    let mut rng = config.rng_for(me);
    for i in 0..config.items {
        let item = Item {
            i,
            value: rng.random(),
        };
        config.work_on(me, item, log);
        if queue.send(Message::Item(item)).is_err() {
            break; // Every consumer is gone: nobody will read any more items.
        }
        log.added(me, item); // Kept for timelines; only one-one prints it.
    }
}
// ANCHOR_END: producer

// ANCHOR: consumer
/// Processes items until the sentinel, then passes the sentinel on to the
/// next consumer.
fn consumer(
    id: usize,
    queue: Receiver<Message>,
    requeue: Sender<Message>,
    config: &Config,
    log: &Log,
) {
    let me = Actor::consumer(id);
    log.running(me);
    while let Ok(message) = queue.recv() {
        match message {
            Message::Item(item) => {
                config.work_on(me, item, log);
                log.got(me, item);
            }
            Message::Sentinel => break,
        }
    }
    // Stop receiving *before* passing the sentinel on. If this is the last
    // consumer, no receiver is left and `send` returns an error at once,
    // instead of waiting forever on a full or rendezvous buffer for a reader
    // that will never come.
    drop(queue);
    let _ = requeue.send(Message::Sentinel);
    log.done(me);
}
// ANCHOR_END: consumer

// ANCHOR: run
/// Runs one producer and `config.consumers` consumers over a shared queue.
pub fn run(config: &Config, log: &Log) -> Result<(), Panicked> {
    let (sender, receiver) = config.channel();
    thread::scope(|scope| {
        let consumers: Vec<_> = (0..config.consumers)
            .map(|id| {
                // Each consumer gets a receiver, and a sender to pass the
                // sentinel on with.
                let receiver = receiver.clone();
                let requeue = sender.clone();
                let consumer = scope.spawn(move || consumer(id, receiver, requeue, config, log));
                (format!("consumer {id}"), consumer)
            })
            .collect();
        drop(receiver); // Only the consumers hold receivers now.
        let producer = scope.spawn(move || producer(sender, config, log));
        let mut threads = vec![("the producer".to_string(), producer)];
        threads.extend(consumers);
        harness::join_all(threads)
    })
}
// ANCHOR_END: run
