//! Wrong: the producer raises the flag with a drop guard meant to live through the last send, but `let _ = ...` drops it at once, so the flag goes up just before the last item is sent; a consumer that looks at the flag in that gap drains an empty buffer and stops, and if all three do, the last item is never processed.
//! Exercise `stop_flag`: one producer, three consumers, and a stop flag
//! instead of a sentinel (Python's `Event`).
//!
//! The producer sets the flag after its last item. Each consumer looks at
//! the flag before each wait for an item, and stops once it is set. But
//! when the flag goes up, items may still be in the buffer: they are never
//! processed. It passes some runs and fails others. Make the consumers
//! stop only when nothing is left for them.
//!
//! Grade it: `cargo xtask exercise stop_flag`. Chapter: a stop flag and a
//! timeout (book/src/event-timeout.md). Stuck? `exercises/stop_flag/hint.md`.

use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::Duration;

use common::{Item, Program, Settings};
use flume::{Receiver, RecvTimeoutError, Sender};

const PROGRAM: Program = Program {
    name: "stop_flag",
    about: "Exercise: consumers that stop at a flag",
    producers: 1,
    consumers: 3,
    items: 10,
};

/// How long a consumer waits for an item before it looks at the flag.
const TIMEOUT: Duration = Duration::from_millis(5);

/// Raises the stop flag when dropped.
struct RaiseOnDrop<'a>(&'a AtomicBool);

impl Drop for RaiseOnDrop<'_> {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Release);
    }
}

fn producer(queue: Sender<Item>, stop: &AtomicBool, settings: &Settings) {
    println!("Producer: Running");
    let mut rng = settings.rng(0);
    for i in 0..settings.items {
        let item = Item {
            i,
            value: rng.random(),
        };
        thread::sleep(settings.effort("Producer", item));
        // Keep the guard until this last item is sent.
        let _ = (i + 1 == settings.items).then(|| RaiseOnDrop(stop));
        let _ = queue.send(item);
    }
    println!("Producer: Done");
}

fn consumer(id: usize, queue: Receiver<Item>, stop: &AtomicBool, settings: &Settings) {
    let me = format!("Consumer {id}");
    println!("{me}: Running");
    loop {
        if stop.load(Ordering::Acquire) {
            for item in queue.try_iter() {
                thread::sleep(settings.effort(&me, item));
                println!(">consumer {id} got {item}");
            }
            break;
        }
        match queue.recv_timeout(TIMEOUT) {
            Ok(item) => {
                thread::sleep(settings.effort(&me, item));
                println!(">consumer {id} got {item}");
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => break,
        }
    }
    println!("{me}: Done");
}

fn main() {
    let settings = Settings::from_command_line(&PROGRAM);
    let (sender, receiver) = match settings.capacity {
        Some(capacity) => flume::bounded(capacity),
        None => flume::unbounded(),
    };
    let stop = AtomicBool::new(false);
    thread::scope(|scope| {
        for id in 0..settings.consumers {
            let (receiver, stop, settings) = (receiver.clone(), &stop, &settings);
            scope.spawn(move || consumer(id, receiver, stop, settings));
        }
        drop(receiver);
        // `main` keeps a sender until every thread is done, as a program
        // that may add more work would: the channel never closes here.
        scope.spawn(|| producer(sender.clone(), &stop, &settings));
    });
}
