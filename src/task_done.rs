//! Completion without shutdown, like Python's `Queue.task_done()` and
//! `Queue.join()`: the producer puts its items in batches, and after each
//! batch waits until every item put so far has been processed. The
//! consumers stay alive between batches, ready for more.
//!
//! A flume channel does not count processed items, so a small counter sits
//! next to it: one more when an item is put, one less when it is done.

use std::sync::{Condvar, Mutex, PoisonError};
use std::thread;
use std::time::Duration;

use flume::{Receiver, Sender};
use harness::{Actor, Config, Count, Item, Log, Panicked, Section, What};
use rand::RngExt;

/// One producer, three consumers.
pub const SECTION: Section = Section {
    name: "task_done",
    about: "The producer waits, after each batch of 4 items, until every item put so far \
            is processed (Python's task_done and join); the consumers stay alive between batches",
    version: env!("CARGO_PKG_VERSION"),
    producers: Count::One,
    consumers: Count::Many(3),
    items: 10,
    prints_added: true,
    barrier: false,
    example: true,
    report: None,
};

/// Items per batch.
const BATCH: usize = 4;

// ANCHOR: unfinished
/// How many items were put and not yet processed.
#[derive(Default)]
struct Unfinished {
    count: Mutex<usize>,
    all_done: Condvar,
}

impl Unfinished {
    fn lock(&self) -> std::sync::MutexGuard<'_, usize> {
        // A count is never left half-updated, so a panic elsewhere while
        // the lock was held does not make it wrong.
        self.count.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Counts one more item; call it *before* sending, so that a `join`
    /// can never miss an item that is on its way.
    fn put(&self) {
        *self.lock() += 1;
    }

    /// Counts one item done (Python's `task_done`).
    fn task_done(&self) {
        let mut count = self.lock();
        *count -= 1;
        if *count == 0 {
            self.all_done.notify_all();
        }
    }

    /// Waits until every item put so far is done (Python's `join`). Returns
    /// `false` instead if every consumer is gone, and so the wait would
    /// never end.
    fn join(&self, queue: &Sender<Item>) -> bool {
        let mut count = self.lock();
        while *count > 0 {
            if queue.receiver_count() == 0 {
                return false;
            }
            // Wake now and then to look at the consumers: a consumer that
            // dies does not notify.
            count = self
                .all_done
                .wait_timeout(count, Duration::from_millis(10))
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        true
    }
}

/// Calls `task_done` when dropped: at the end of an item's iteration, and
/// also if processing it panics, so a crash cannot leave `join` waiting.
struct TaskDone<'a>(&'a Unfinished);

impl Drop for TaskDone<'_> {
    fn drop(&mut self) {
        self.0.task_done();
    }
}
// ANCHOR_END: unfinished

// ANCHOR: producer
/// Puts its items in batches, and waits after each for them to be done.
fn producer(me: Actor, queue: Sender<Item>, unfinished: &Unfinished, config: &Config, log: &Log) {
    log.running(me);
    let mut rng = config.rng_for(me);
    for i in 0..config.items {
        let item = Item {
            i,
            value: rng.random(),
        };
        config.work_on(me, item, log);
        unfinished.put();
        if queue.send(item).is_err() {
            break; // Every consumer is gone.
        }
        log.added(me, item);
        let end_of_batch = (i + 1) % BATCH == 0 || i + 1 == config.items;
        if end_of_batch {
            if !unfinished.join(&queue) {
                break; // Every consumer is gone.
            }
            log.event(me, What::Joined);
        }
    }
    log.done(me);
}
// ANCHOR_END: producer

// ANCHOR: consumer
/// Processes items, marking each done, until the producer is gone.
fn consumer(me: Actor, queue: Receiver<Item>, unfinished: &Unfinished, config: &Config, log: &Log) {
    log.running(me);
    for item in queue {
        let _done = TaskDone(unfinished);
        config.work_on(me, item, log);
        log.got(me, item);
    } // `_done` is dropped here: the item is done.
    log.done(me);
}
// ANCHOR_END: consumer

// ANCHOR: run
/// Runs one producer and `config.consumers` consumers.
pub fn run(config: &Config, log: &Log) -> Result<(), Panicked> {
    let (sender, receiver) = config.channel();
    let unfinished = &Unfinished::default();
    thread::scope(|scope| {
        let mut threads = Vec::new();
        for id in 0..config.consumers {
            let (me, queue) = (Actor::consumer(id), receiver.clone());
            let consumer = scope.spawn(move || consumer(me, queue, unfinished, config, log));
            threads.push((me.to_string().to_lowercase(), consumer));
        }
        let me = Actor::PRODUCER;
        let producer = scope.spawn(move || producer(me, sender, unfinished, config, log));
        threads.push(("the producer".to_string(), producer));
        drop(receiver);
        harness::join_all(threads)
    })
}
// ANCHOR_END: run
