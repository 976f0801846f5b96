//! Many producers, one consumer, no barrier: every producer sends its own
//! sentinel, and the consumer stops once it has counted one per producer.

use std::thread;

use flume::{Receiver, Sender};
use harness::{Actor, Config, Count, Item, Log, Message, Panicked, Section};
use rand::RngExt;

/// Three producers of five items and one consumer, as in `many-one`.
pub const SECTION: Section = Section {
    name: "counting_sentinels",
    about: "Many producers, one consumer: each producer sends a sentinel, the consumer counts them",
    version: env!("CARGO_PKG_VERSION"),
    producers: Count::Many(3),
    consumers: Count::One,
    items: 5,
    prints_added: false,
    barrier: false,
    example: true,
    report: None,
};

// ANCHOR: producer
/// Makes its items, then sends its own sentinel: no waiting for the others.
fn producer(me: Actor, queue: Sender<Message>, config: &Config, log: &Log) {
    log.running(me);
    let mut rng = config.rng_for(me);
    for i in 0..config.items {
        let item = Item {
            i,
            value: rng.random(),
        };
        config.work_on(me, item, log);
        if queue.send(Message::Item(item)).is_err() {
            break; // The consumer is gone.
        }
        log.added(me, item);
    }
    log.sending_sentinel(me);
    let _ = queue.send(Message::Sentinel);
    log.done(me);
}
// ANCHOR_END: producer

// ANCHOR: consumer
/// Processes items until it has seen one sentinel from each producer.
fn consumer(queue: Receiver<Message>, config: &Config, log: &Log) {
    log.running(Actor::CONSUMER);
    let mut sentinels = 0;
    while sentinels < config.producers {
        match queue.recv() {
            Ok(Message::Item(item)) => {
                config.work_on(Actor::CONSUMER, item, log);
                log.got(Actor::CONSUMER, item);
            }
            // One producer is done; the others may still be sending.
            Ok(Message::Sentinel) => sentinels += 1,
            // Every producer is gone, some without a sentinel (a panic).
            Err(flume::RecvError::Disconnected) => break,
        }
    }
    log.done(Actor::CONSUMER);
}
// ANCHOR_END: consumer

/// Runs `config.producers` producers and one consumer.
pub fn run(config: &Config, log: &Log) -> Result<(), Panicked> {
    let (sender, receiver) = config.channel();
    thread::scope(|scope| {
        let consumer = scope.spawn(move || consumer(receiver, config, log));
        let mut threads = vec![("the consumer".to_string(), consumer)];
        for id in 0..config.producers {
            let (me, sender) = (Actor::producer(id), sender.clone());
            let producer = scope.spawn(move || producer(me, sender, config, log));
            threads.push((me.to_string().to_lowercase(), producer));
        }
        drop(sender); // Only the producers hold senders now.
        harness::join_all(threads)
    })
}
