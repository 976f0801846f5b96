//! A blocking first-in, first-out queue built from a `Mutex` and two
//! `Condvar`s: what Python's `queue.Queue` does inside, written out in Rust.
//!
//! Share it between threads in an `Arc`. Like `queue.Queue(maxsize)`, a
//! `maxsize` of 0 means *no limit*.
//!
//! ```
//! use std::sync::Arc;
//! use std::thread;
//! use mutex_queue::Queue;
//!
//! let queue = Arc::new(Queue::new(2));
//! let producer = {
//!     let queue = Arc::clone(&queue);
//!     thread::spawn(move || (0..5).for_each(|n| queue.put(n)))
//! };
//! let received: Vec<u32> = (0..5).map(|_| queue.get()).collect();
//! producer.join().unwrap();
//! assert_eq!(received, [0, 1, 2, 3, 4]);
//! ```

// ANCHOR: queue
use std::collections::VecDeque;

// Under `--cfg loom`, the model checker's versions of the same types.
#[cfg(loom)]
use loom::sync::{Condvar, Mutex, MutexGuard};
#[cfg(not(loom))]
use std::sync::{Condvar, Mutex, MutexGuard};

/// A blocking FIFO queue, optionally bounded.
#[derive(Debug)]
pub struct Queue<T> {
    items: Mutex<VecDeque<T>>,
    /// The most items it holds; `usize::MAX` when unbounded.
    maxsize: usize,
    /// Signalled when an item is added, for threads waiting in `get`.
    not_empty: Condvar,
    /// Signalled when an item is removed, for threads waiting in `put`.
    not_full: Condvar,
}

impl<T> Queue<T> {
    /// A queue that holds at most `maxsize` items; 0 means no limit, as in
    /// Python.
    pub fn new(maxsize: usize) -> Queue<T> {
        Queue {
            items: Mutex::new(VecDeque::new()),
            maxsize: if maxsize == 0 { usize::MAX } else { maxsize },
            not_empty: Condvar::new(),
            not_full: Condvar::new(),
        }
    }

    /// Adds an item at the back, first waiting while the queue is full.
    pub fn put(&self, item: T) {
        let mut items = self.lock();
        // `while`, not `if`: a wait can end without room (a spurious
        // wake-up, or another producer took the free slot first).
        while items.len() >= self.maxsize {
            items = self
                .not_full
                .wait(items)
                .unwrap_or_else(std::sync::PoisonError::into_inner);
        }
        items.push_back(item);
        // Wake one thread waiting in `get`: there is an item for it now.
        self.not_empty.notify_one();
    }

    /// Removes the item at the front, first waiting while the queue is empty.
    pub fn get(&self) -> T {
        let mut items = self.lock();
        loop {
            if let Some(item) = items.pop_front() {
                // Wake one thread waiting in `put`: there is room for it now.
                self.not_full.notify_one();
                return item;
            }
            items = self
                .not_empty
                .wait(items)
                .unwrap_or_else(std::sync::PoisonError::into_inner);
        }
    }

    /// How many items are waiting.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether no item is waiting.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> MutexGuard<'_, VecDeque<T>> {
        // A thread that panicked while holding the lock cannot have left the
        // deque half-changed (push and pop either happen or do not), so the
        // queue stays usable: take the guard out of the poison error.
        self.items
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}
// ANCHOR_END: queue

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::thread;

    #[test]
    fn items_come_out_in_order() {
        let queue = Queue::new(0);
        for n in 0..100 {
            queue.put(n);
        }
        assert_eq!(queue.len(), 100);
        let out: Vec<i32> = (0..100).map(|_| queue.get()).collect();
        assert_eq!(out, (0..100).collect::<Vec<_>>());
        assert!(queue.is_empty());
    }

    /// How long a test may wait before it counts as a deadlock.
    const DEADLOCK_BOUND: std::time::Duration = std::time::Duration::from_secs(30);

    /// Runs `work` on a thread of its own and fails the test if it has not
    /// finished within `bound`: a deadlock fails instead of hanging.
    fn within(bound: std::time::Duration, what: &str, work: fn()) {
        let (done, finished) = std::sync::mpsc::channel();
        let worker = thread::spawn(move || {
            work();
            let _ = done.send(());
        });
        // An error before the bound is the work's own panic: joined below.
        let ended = finished.recv_timeout(bound).is_ok() || worker.is_finished();
        assert!(ended, "{what} did not finish within {bound:?}: a deadlock?");
        if let Err(panic) = worker.join() {
            std::panic::resume_unwind(panic);
        }
    }

    #[test]
    fn a_full_queue_makes_put_wait() {
        within(DEADLOCK_BOUND, "a full queue", fill_then_put);
    }

    fn fill_then_put() {
        let queue = Arc::new(Queue::new(1));
        queue.put(1);
        let (started, its_task) = std::sync::mpsc::channel();
        let (returned, put_returned) = std::sync::mpsc::channel();
        let producer = {
            let queue = Arc::clone(&queue);
            thread::spawn(move || {
                // Its own entry in /proc, to tell when it sleeps.
                let me = std::fs::read_link("/proc/thread-self").expect("/proc/thread-self");
                started.send(me).expect("the test waits");
                queue.put(2);
                returned.send(()).expect("the test waits");
            })
        };
        let task = its_task.recv().expect("the producer starts");
        // Wait until the second put has either returned (wrong: the queue
        // is full) or put its thread to sleep (right), whatever the
        // scheduler does: no sleep of the test's own decides it.
        loop {
            assert!(
                put_returned.try_recv().is_err(),
                "put returned while the queue was full"
            );
            if asleep(&task) {
                break;
            }
            thread::yield_now();
        }
        assert_eq!(queue.len(), 1);
        assert_eq!(queue.get(), 1);
        producer.join().unwrap();
        assert_eq!(queue.get(), 2);
    }

    /// Whether the thread whose `/proc` entry is `task` sleeps: state `S`
    /// in its `stat` (after the name in parentheses).
    fn asleep(task: &std::path::Path) -> bool {
        let stat = std::fs::read_to_string(std::path::Path::new("/proc").join(task).join("stat"))
            .expect("the thread's stat");
        let state = stat.rsplit_once(") ").map(|(_, rest)| rest.chars().next());
        state == Some(Some('S'))
    }

    #[test]
    fn many_producers_and_consumers_lose_nothing() {
        within(
            DEADLOCK_BOUND,
            "4 producers and 4 consumers",
            move_4000_items,
        );
    }

    fn move_4000_items() {
        let queue = Arc::new(Queue::new(3));
        let producers: Vec<_> = (0..4)
            .map(|p| {
                let queue = Arc::clone(&queue);
                thread::spawn(move || (0..1000).for_each(|n| queue.put(p * 1000 + n)))
            })
            .collect();
        let consumers: Vec<_> = (0..4)
            .map(|_| {
                let queue = Arc::clone(&queue);
                thread::spawn(move || (0..1000).map(|_| queue.get()).collect::<Vec<_>>())
            })
            .collect();
        for producer in producers {
            producer.join().unwrap();
        }
        let mut all: Vec<i32> = consumers
            .into_iter()
            .flat_map(|c| c.join().unwrap())
            .collect();
        all.sort_unstable();
        assert_eq!(all, (0..4000).collect::<Vec<_>>());
    }
}
