//! Many producers, one consumer (section 4 of the tutorial).
//!
//! If each producer sent a sentinel, the consumer would stop at the first
//! one and leave the other producers' items in the buffer. So the producers
//! meet at a barrier when they are done, and only after all of them have
//! arrived does exactly one of them send the single sentinel.
//!
//! Run it with `cargo run -p many-one` (add `-- --help` for the flags).

use std::panic::{self, AssertUnwindSafe};
use std::sync::Barrier;
use std::thread;

use flume::{Receiver, Sender};
use harness::{Actor, Config, Count, Item, Log, Message, Panicked, Section};
use rand::RngExt;

/// This section's shape: three producers of five items, one consumer.
pub const SECTION: Section = Section {
    name: "many-one",
    about: "Many producers, one consumer: the producers meet at a barrier, then one sends the sentinel",
    version: env!("CARGO_PKG_VERSION"),
    producers: Count::Many(3),
    consumers: Count::One,
    items: 5,
    prints_added: false,

    barrier: true,

    example: false,

    report: None,
};

// ANCHOR: producer
/// Makes its items, waits at the barrier for the other producers, and
/// sends the sentinel if it is the barrier's leader.
fn producer(id: usize, queue: Sender<Message>, barrier: &Barrier, config: &Config, log: &Log) {
    let me = Actor::producer(id);
    log.running(me);
    // Even if making the items panics, this producer must arrive at the
    // barrier, or the other producers would wait there forever. So catch
    // the panic, arrive, and only then pass the panic on to `join`.
    let made = panic::catch_unwind(AssertUnwindSafe(|| make_items(me, &queue, config, log)));
    // Wait until every producer has sent its last item. Exactly one of the
    // waiting threads is told it is the leader: that one sends the sentinel.
    // (The tutorial picks producer 0 instead; asking the barrier needs no
    // agreement on numbers and still sends exactly one sentinel.)
    if barrier.wait().is_leader() {
        log.sending_sentinel(me);
        let _ = queue.send(Message::Sentinel);
    }
    match made {
        Ok(()) => log.done(me),
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
/// Takes items out of the queue and processes them until the sentinel.
fn consumer(queue: Receiver<Message>, config: &Config, log: &Log) {
    log.running(Actor::CONSUMER);
    // `recv` fails only when every sender is gone without a sentinel.
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
/// Runs `config.producers` producers and one consumer over a shared queue.
pub fn run(config: &Config, log: &Log) -> Result<(), Panicked> {
    let (sender, receiver) = config.channel();
    // The barrier opens once all producers are waiting at it.
    let barrier = Barrier::new(config.producers);
    thread::scope(|scope| {
        let consumer = scope.spawn(move || consumer(receiver, config, log));
        let mut threads = Vec::new();
        for id in 0..config.producers {
            // Every producer gets its own clone of the sender.
            let sender = sender.clone();
            let barrier = &barrier;
            let producer = scope.spawn(move || producer(id, sender, barrier, config, log));
            threads.push((format!("producer {id}"), producer));
        }
        // Drop the original, so that only the producers hold senders.
        drop(sender);
        threads.push(("the consumer".to_string(), consumer));
        harness::join_all(threads)
    })
}
// ANCHOR_END: run
