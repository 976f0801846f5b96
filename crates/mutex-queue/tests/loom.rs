//! Model checking with loom: every interleaving of small cases, for lost
//! items, lost wake-ups (a thread asleep forever) and a full queue that
//! overflows. Run with:
//!
//! ```text
//! RUSTFLAGS="--cfg loom" cargo test -p mutex-queue --test loom --profile loom
//! ```
//!
//! The last two tests check two broken copies of the queue and expect loom
//! to catch each bug.
#![cfg(loom)]

use std::collections::VecDeque;

use loom::sync::{Arc, Condvar, Mutex};
use loom::thread;
use mutex_queue::Queue;

// ANCHOR: models
/// One producer puts three items through a one-slot queue; one consumer
/// takes them. In every interleaving, all three arrive, in order.
#[test]
fn items_pass_in_order_through_one_slot() {
    loom::model(|| {
        let queue = Arc::new(Queue::new(1));
        let producer = {
            let queue = Arc::clone(&queue);
            thread::spawn(move || (1..=3).for_each(|n| queue.put(n)))
        };
        let received: Vec<i32> = (0..3).map(|_| queue.get()).collect();
        producer.join().unwrap();
        assert_eq!(received, [1, 2, 3]);
    });
}

/// Two producers wait for room in a full one-slot queue while a consumer
/// empties it. No item is lost, nobody sleeps forever, and the queue never
/// holds more than one item.
#[test]
fn two_producers_share_one_slot() {
    loom::model(|| {
        let queue = Arc::new(Queue::new(1));
        queue.put(0);
        let producers: Vec<_> = [1, 2]
            .into_iter()
            .map(|n| {
                let queue = Arc::clone(&queue);
                thread::spawn(move || queue.put(n))
            })
            .collect();
        let mut received: Vec<i32> = (0..3).map(|_| queue.get()).collect();
        producers.into_iter().for_each(|p| p.join().unwrap());
        received.sort();
        assert_eq!(received, [0, 1, 2]);
    });
}
// ANCHOR_END: models

// ANCHOR: broken
/// A copy of the queue with one of two bugs in `put`.
struct Broken {
    items: Mutex<VecDeque<i32>>,
    maxsize: usize,
    not_empty: Condvar,
    not_full: Condvar,
    /// The bug: `if` instead of `while` around the wait for room.
    check_once: bool,
    /// The bug: `put` forgets to wake a thread waiting in `get`.
    forget_to_notify: bool,
}

impl Broken {
    fn put(&self, item: i32) {
        let mut items = self.items.lock().unwrap();
        if self.check_once {
            if items.len() >= self.maxsize {
                items = self.not_full.wait(items).unwrap();
            }
        } else {
            while items.len() >= self.maxsize {
                items = self.not_full.wait(items).unwrap();
            }
        }
        items.push_back(item);
        assert!(
            items.len() <= self.maxsize,
            "the queue holds more than maxsize"
        );
        if !self.forget_to_notify {
            self.not_empty.notify_one();
        }
    }
    // ANCHOR_END: broken

    fn get(&self) -> i32 {
        let mut items = self.items.lock().unwrap();
        loop {
            if let Some(item) = items.pop_front() {
                self.not_full.notify_one();
                return item;
            }
            items = self.not_empty.wait(items).unwrap();
        }
    }

    fn new(check_once: bool, forget_to_notify: bool) -> Broken {
        Broken {
            items: Mutex::new(VecDeque::new()),
            maxsize: 1,
            not_empty: Condvar::new(),
            not_full: Condvar::new(),
            check_once,
            forget_to_notify,
        }
    }
}

/// The two-producer model on a broken queue.
fn two_producers_on(queue: Broken) {
    let queue = Arc::new(queue);
    queue.put(0);
    let producers: Vec<_> = [1, 2]
        .into_iter()
        .map(|n| {
            let queue = Arc::clone(&queue);
            thread::spawn(move || queue.put(n))
        })
        .collect();
    for _ in 0..3 {
        queue.get();
    }
    producers.into_iter().for_each(|p| p.join().unwrap());
}

#[test]
#[should_panic(expected = "the queue holds more than maxsize")]
fn loom_catches_if_instead_of_while() {
    loom::model(|| two_producers_on(Broken::new(true, false)));
}

/// The consumer waits first; the producer puts without waking it.
#[test]
#[ignore = "run by loom_catches_a_missing_notify, in a process of its own"]
fn missing_notify_model() {
    loom::model(|| {
        let queue = Arc::new(Broken::new(false, true));
        let consumer = {
            let queue = Arc::clone(&queue);
            thread::spawn(move || queue.get())
        };
        queue.put(7);
        consumer.join().unwrap();
    });
}

/// A deadlock makes loom panic and then abort the whole test process while
/// it cleans up the stuck threads, so the broken model runs in a child
/// process, and this test reads what it said.
#[test]
fn loom_catches_a_missing_notify() {
    let output = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "missing_notify_model",
            "--ignored",
            "--nocapture",
        ])
        .output()
        .expect("the test binary runs again");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "loom missed the lost wake-up");
    assert!(stderr.contains("deadlock; threads = "), "{stderr}");
}
