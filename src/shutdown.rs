//! Shutting the queue down from the consumer side, like Python 3.13's
//! `Queue.shutdown()` and `Queue.shutdown(immediate=True)`.
//!
//! Halfway through, a consumer decides it has had enough and shuts the
//! queue down. From then on, producers are refused: each stops at the item
//! it was trying to put. What is already in the buffer is still processed
//! ([`run`], like `shutdown()`), or thrown away ([`run_immediate`], like
//! `shutdown(immediate=True)`). Every item made gets one line saying what
//! happened to it: `added` then `got`, `added` then `dropped`, or `refused`.
//!
//! A flume channel closes only when every sender or every receiver is gone,
//! and a consumer does not own the producers' senders. So the threads share
//! a second channel, `closed`, that never carries a message: shutting down
//! drops its only sender, and from then on every thread that looks at it
//! (`closed.is_disconnected()`) sees the shutdown.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};
use std::thread;

use flume::{Receiver, Sender};
use harness::{Actor, Config, Count, Item, Log, Panicked, Section, What};
use rand::RngExt;

/// `shutdown()`: what is buffered is still processed.
pub const SECTION: Section = Section {
    name: "shutdown",
    about: "A consumer shuts the queue down halfway: producers are refused, \
            and the consumers process what is left in the buffer",
    version: env!("CARGO_PKG_VERSION"),
    producers: Count::Many(3),
    consumers: Count::Many(2),
    items: 10,
    prints_added: true,
    barrier: false,
    example: true,
    report: None,
};

/// `shutdown(immediate=True)`: what is buffered is dropped.
pub const SECTION_IMMEDIATE: Section = Section {
    name: "shutdown_immediate",
    about: "A consumer shuts the queue down halfway, at once: producers are refused, \
            and what is left in the buffer is dropped unprocessed",
    ..SECTION
};

// ANCHOR: switch
/// The shutdown switch. Threads watch the receiver it hands out; flipping
/// the switch drops the only sender, which disconnects that receiver.
pub(crate) struct Switch(Mutex<Option<Sender<()>>>);

impl Switch {
    pub(crate) fn new() -> (Switch, Receiver<()>) {
        let (sender, closed) = flume::bounded(0);
        (Switch(Mutex::new(Some(sender))), closed)
    }

    /// Flips the switch; only the first call does, and returns `true`.
    pub(crate) fn flip(&self) -> bool {
        // A thread that panicked holding the lock left an `Option`, whole.
        let mut sender = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        sender.take().is_some()
    }
}
// ANCHOR_END: switch

// ANCHOR: producer
/// Makes and puts items until the queue is shut down (`closed` is
/// disconnected).
pub(crate) fn producer(
    me: Actor,
    queue: Sender<Item>,
    closed: Receiver<()>,
    config: &Config,
    log: &Log,
) {
    log.running(me);
    let mut rng = config.rng_for(me);
    for i in 0..config.items {
        let item = Item {
            i,
            value: rng.random(),
        };
        config.work_on(me, item, log);
        if closed.is_disconnected() {
            log.event(me, What::Refused(item));
            break;
        }
        // A `send` already waiting for room when the shutdown comes still
        // completes: the consumers drain the buffer, or drop what is in it.
        if queue.send(item).is_err() {
            break; // Every consumer is gone.
        }
        log.added(me, item);
    }
    log.done(me);
}
// ANCHOR_END: producer

// ANCHOR: consumer
/// Processes items until the buffer is empty and every producer has
/// stopped; shuts the queue down when half of all items are processed.
fn consumer(me: Actor, queue: Receiver<Item>, shared: &Shared, config: &Config, log: &Log) {
    log.running(me);
    for item in queue.iter() {
        config.work_on(me, item, log);
        log.got(me, item);
        shared.processed_one(me, config, log);
    }
    log.done(me);
}
// ANCHOR_END: consumer

// ANCHOR: consumer_immediate
/// Processes items until the queue is shut down; from then on, drops each
/// item it takes, until the buffer is empty and every producer has stopped.
fn consumer_immediate(
    me: Actor,
    queue: Receiver<Item>,
    closed: Receiver<()>,
    shared: &Shared,
    config: &Config,
    log: &Log,
) {
    log.running(me);
    for item in queue.iter() {
        if closed.is_disconnected() {
            log.event(me, What::Dropped(item));
            continue;
        }
        config.work_on(me, item, log);
        log.got(me, item);
        shared.processed_one(me, config, log);
    }
    log.done(me);
}
// ANCHOR_END: consumer_immediate

// ANCHOR: shared
/// What the consumers share: the switch, and how many items they processed.
struct Shared {
    switch: Switch,
    processed: AtomicUsize,
}

impl Shared {
    /// Counts one more item processed by `me`; the consumer whose item is
    /// half of all items shuts the queue down.
    fn processed_one(&self, me: Actor, config: &Config, log: &Log) {
        if self.processed.fetch_add(1, Ordering::SeqCst) + 1 == config.total_items() / 2 {
            log.event(me, What::ShutDown);
            self.switch.flip();
        }
    }
}
// ANCHOR_END: shared

/// `shutdown()`: the buffer is drained after the shutdown.
pub fn run(config: &Config, log: &Log) -> Result<(), Panicked> {
    run_with(config, log, false)
}

/// `shutdown(immediate=True)`: the buffer is dropped at the shutdown.
pub fn run_immediate(config: &Config, log: &Log) -> Result<(), Panicked> {
    run_with(config, log, true)
}

// ANCHOR: run
fn run_with(config: &Config, log: &Log, immediate: bool) -> Result<(), Panicked> {
    let (sender, receiver) = config.channel();
    let (switch, closed) = Switch::new();
    let shared = Shared {
        switch,
        processed: AtomicUsize::new(0),
    };
    let shared = &shared;
    thread::scope(|scope| {
        let mut threads = Vec::new();
        for id in 0..config.consumers {
            let (me, queue, closed) = (Actor::consumer(id), receiver.clone(), closed.clone());
            let consumer = scope.spawn(move || {
                if immediate {
                    consumer_immediate(me, queue, closed, shared, config, log);
                } else {
                    consumer(me, queue, shared, config, log);
                }
            });
            threads.push((me.to_string().to_lowercase(), consumer));
        }
        for id in 0..config.producers {
            let (me, queue, closed) = (Actor::producer(id), sender.clone(), closed.clone());
            let producer = scope.spawn(move || producer(me, queue, closed, config, log));
            threads.push((me.to_string().to_lowercase(), producer));
        }
        drop((sender, receiver, closed));
        harness::join_all(threads)
    })
}
// ANCHOR_END: run
