//! Many producers, many consumers (section 6 of the tutorial).
//!
//! Both fixes at once: the producers meet at a barrier so that exactly one
//! sentinel is sent after every item, and each consumer that reads the
//! sentinel passes it on so that it reaches every consumer.
//!
//! Run it with `cargo run -p many-many` (add `-- --help` for the flags).

use std::panic::{self, AssertUnwindSafe};
use std::sync::Barrier;
use std::thread;

use flume::{Receiver, Sender};
use harness::{Actor, Config, Count, Item, Log, Message, Panicked, Section};
use rand::RngExt;

/// This section's shape: three producers of ten items, five consumers.
pub const SECTION: Section = Section {
    name: "many-many",
    about: "Many producers, many consumers: a barrier among the producers, \
            and a sentinel that every consumer passes on",
    version: env!("CARGO_PKG_VERSION"),
    producers: Count::Many(3),
    consumers: Count::Many(5),
    items: 10,
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
    // Stop receiving before passing the sentinel on, so that the last
    // consumer's `send` fails at once instead of waiting for a reader.
    drop(queue);
    let _ = requeue.send(Message::Sentinel);
    log.done(me);
}
// ANCHOR_END: consumer

// ANCHOR: run
/// Runs `config.producers` producers and `config.consumers` consumers over
/// a shared queue.
pub fn run(config: &Config, log: &Log) -> Result<(), Panicked> {
    let (sender, receiver) = config.channel();
    let barrier = Barrier::new(config.producers);
    thread::scope(|scope| {
        let consumers: Vec<_> = (0..config.consumers)
            .map(|id| {
                let receiver = receiver.clone();
                let requeue = sender.clone();
                let consumer = scope.spawn(move || consumer(id, receiver, requeue, config, log));
                (format!("consumer {id}"), consumer)
            })
            .collect();
        drop(receiver); // Only the consumers hold receivers now.
        let mut threads: Vec<_> = (0..config.producers)
            .map(|id| {
                let sender = sender.clone();
                let barrier = &barrier;
                let producer = scope.spawn(move || producer(id, sender, barrier, config, log));
                (format!("producer {id}"), producer)
            })
            .collect();
        drop(sender); // Only the threads hold senders now.
        threads.extend(consumers);
        harness::join_all(threads)
    })
}
// ANCHOR_END: run
