//! Wrong: Condvar-guarded flag; under the lock the consumer first reads the flag, then tries the buffer, and stops only when the flag was up before an empty try_recv (the producer raises it after its last send, under the same lock, and notifies); but its producer no longer raises the flag when it panics, as the given one does, and the consumers wait for ever (`--panic-at producer:2`).
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

use std::sync::{Condvar, Mutex};
use std::thread;
use std::time::Duration;

use common::{Item, Program, Settings};
use flume::{Receiver, Sender};

const PROGRAM: Program = Program {
    name: "stop_flag",
    about: "Exercise: consumers that stop at a flag",
    producers: 1,
    consumers: 3,
    items: 10,
};

/// How long a consumer waits for an item before it looks at the flag.
const TIMEOUT: Duration = Duration::from_millis(5);

fn producer(queue: Sender<Item>, stop: &(Mutex<bool>, Condvar), settings: &Settings) {
    println!("Producer: Running");
    let mut rng = settings.rng(0);
    for i in 0..settings.items {
        let item = Item {
            i,
            value: rng.random(),
        };
        thread::sleep(settings.effort("Producer", item));
        let _ = queue.send(item);
    }
    *stop.0.lock().unwrap() = true;
    stop.1.notify_all();
    println!("Producer: Done");
}

fn consumer(id: usize, queue: Receiver<Item>, stop: &(Mutex<bool>, Condvar), settings: &Settings) {
    let me = format!("Consumer {id}");
    println!("{me}: Running");
    loop {
        let finished = *stop.0.lock().unwrap();
        match queue.try_recv() {
            Ok(item) => {
                thread::sleep(settings.effort(&me, item));
                println!(">consumer {id} got {item}");
            }
            Err(_) if finished => break,
            Err(_) => {
                let guard = stop.0.lock().unwrap();
                if !*guard && queue.is_empty() {
                    let _ = stop.1.wait_timeout(guard, TIMEOUT).unwrap();
                }
            }
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
    let stop = (Mutex::new(false), Condvar::new());
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
