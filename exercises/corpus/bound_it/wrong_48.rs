//! Wrong: hand-made Mutex+Condvar buffer whose consumer stops as soon as the producer has closed it, without draining it: the items still waiting when the producer finishes (up to --capacity of them, or almost all when unbounded) are never processed.

use std::collections::VecDeque;
use std::sync::{Condvar, Mutex, MutexGuard};
use std::thread;
use std::time::Duration;

use common::{Item, Program, Settings};

const PROGRAM: Program = Program {
    name: "bound_it",
    about: "Exercise: a bounded buffer between a fast producer and a slow consumer",
    producers: 1,
    consumers: 1,
    items: 10,
};

/// What the consumer spends on each item, beyond its simulated effort:
/// it writes each one to a slow disk, say.
const SLOW: Duration = Duration::from_millis(2);

struct State {
    items: VecDeque<Item>,
    pushed: u64,
    taken: u64,
    closed: bool,
    consumer_gone: bool,
}

/// A hand-made bounded buffer: a Mutex around a VecDeque, two Condvars.
struct Buffer {
    state: Mutex<State>,
    not_full: Condvar,
    not_empty: Condvar,
    capacity: Option<usize>,
}

impl Buffer {
    fn new(capacity: Option<usize>) -> Buffer {
        Buffer {
            state: Mutex::new(State {
                items: VecDeque::new(),
                pushed: 0,
                taken: 0,
                closed: false,
                consumer_gone: false,
            }),
            not_full: Condvar::new(),
            not_empty: Condvar::new(),
            capacity,
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn wait<'a>(cv: &Condvar, s: MutexGuard<'a, State>) -> MutexGuard<'a, State> {
        cv.wait(s).unwrap_or_else(|e| e.into_inner())
    }

    /// Waits for room (at capacity 0, for the consumer to take the item).
    /// Err if the consumer is gone.
    fn send(&self, item: Item) -> Result<(), Item> {
        let mut s = self.lock();
        if let Some(c) = self.capacity {
            let room = c.max(1);
            while s.items.len() >= room && !s.consumer_gone {
                s = Self::wait(&self.not_full, s);
            }
        }
        if s.consumer_gone {
            return Err(item);
        }
        s.items.push_back(item);
        s.pushed += 1;
        let mine = s.pushed;
        self.not_empty.notify_one();
        if self.capacity == Some(0) {
            while s.taken < mine && !s.consumer_gone {
                s = Self::wait(&self.not_full, s);
            }
        }
        Ok(())
    }

    /// The next item; None once the producer has closed and nothing is left.
    fn recv(&self) -> Option<Item> {
        let mut s = self.lock();
        while s.items.is_empty() && !s.closed {
            s = Self::wait(&self.not_empty, s);
        }
        if s.closed {
            return None; // The producer is done.
        }
        let item = s.items.pop_front();
        s.taken += 1;
        self.not_full.notify_all();
        item
    }

    fn close(&self) {
        self.lock().closed = true;
        self.not_empty.notify_all();
    }

    fn leave(&self) {
        self.lock().consumer_gone = true;
        self.not_full.notify_all();
    }
}

/// Closes the buffer when the producer leaves, even by a panic.
struct Closing<'a>(&'a Buffer);
impl Drop for Closing<'_> {
    fn drop(&mut self) {
        self.0.close();
    }
}

/// Frees the producer when the consumer leaves, even by a panic.
struct Leaving<'a>(&'a Buffer);
impl Drop for Leaving<'_> {
    fn drop(&mut self) {
        self.0.leave();
    }
}

fn producer(queue: &Buffer, settings: &Settings) {
    let _closing = Closing(queue);
    println!("Producer: Running");
    let mut rng = settings.rng(0);
    for i in 0..settings.items {
        let item = Item {
            i,
            value: rng.random(),
        };
        thread::sleep(settings.effort("Producer", item));
        if queue.send(item).is_err() {
            break; // The consumer is gone.
        }
        println!(">producer added {item}");
    }
    println!("Producer: Done");
}

fn consumer(queue: &Buffer, settings: &Settings) {
    let _leaving = Leaving(queue);
    println!("Consumer: Running");
    while let Some(item) = queue.recv() {
        thread::sleep(settings.effort("Consumer", item));
        thread::sleep(SLOW);
        println!(">consumer got {item}");
    }
    println!("Consumer: Done");
}

fn main() {
    let settings = Settings::from_command_line(&PROGRAM);
    let buffer = Buffer::new(settings.capacity);
    thread::scope(|scope| {
        scope.spawn(|| consumer(&buffer, &settings));
        scope.spawn(|| producer(&buffer, &settings));
    });
}
