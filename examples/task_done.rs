//! Completion without shutdown, like Python's `Queue.task_done()` and
//! `Queue.join()`: the producer puts its items in batches, and after each
//! batch waits until every item put so far has been processed. The
//! consumers stay alive between batches, ready for more.
//!
//! A flume channel does not count processed items, so a small counter sits
//! next to it: one more when an item is put, one less when it is done.
//!
//! ```text
//! cargo run --example task_done
//! cargo run --example task_done -- --consumers 1 --seed 7 --time-scale 0.1
//! cargo run --example task_done -- --help
//! ```

use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::thread;
use std::time::Duration;

use common::{Item, Program, Settings};
use flume::{Receiver, Sender};

const PROGRAM: Program = Program {
    name: "task_done",
    about: "The producer waits, after each batch of 4 items, until every item put so far \
            is processed (Python's task_done and join); the consumers stay alive between batches",
    producers: 1,
    consumers: 3,
    items: 10,
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
    fn lock(&self) -> MutexGuard<'_, usize> {
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
fn producer(queue: Sender<Item>, unfinished: &Unfinished, settings: &Settings) {
    println!("Producer: Running");
    let mut rng = settings.rng(0);
    for i in 0..settings.items {
        let item = Item {
            i,
            value: rng.random(),
        };
        thread::sleep(settings.effort("Producer", item));
        unfinished.put();
        if queue.send(item).is_err() {
            break; // Every consumer is gone.
        }
        println!(">producer added {item}");
        let end_of_batch = (i + 1) % BATCH == 0 || i + 1 == settings.items;
        if end_of_batch {
            if !unfinished.join(&queue) {
                break; // Every consumer is gone.
            }
            println!("Producer: Every item put so far is processed");
        }
    }
    println!("Producer: Done");
}
// ANCHOR_END: producer

// ANCHOR: consumer
/// Processes items, marking each done, until the producer is gone.
fn consumer(id: usize, queue: Receiver<Item>, unfinished: &Unfinished, settings: &Settings) {
    let me = format!("Consumer {id}");
    println!("{me}: Running");
    for item in queue {
        let _done = TaskDone(unfinished);
        thread::sleep(settings.effort(&me, item));
        println!(">consumer {id} got {item}");
    } // `_done` is dropped here: the item is done.
    println!("{me}: Done");
}
// ANCHOR_END: consumer

// ANCHOR: main
fn main() {
    let settings = Settings::from_command_line(&PROGRAM);
    let (sender, receiver) = match settings.capacity {
        Some(capacity) => flume::bounded(capacity),
        None => flume::unbounded(),
    };
    let unfinished = Unfinished::default();
    thread::scope(|scope| {
        for id in 0..settings.consumers {
            let (receiver, unfinished, settings) = (receiver.clone(), &unfinished, &settings);
            scope.spawn(move || consumer(id, receiver, unfinished, settings));
        }
        drop(receiver);
        // The producer owns the only sender: when it is done, the channel
        // disconnects, and the consumers' loops end.
        scope.spawn(|| producer(sender, &unfinished, &settings));
    });
}
// ANCHOR_END: main
