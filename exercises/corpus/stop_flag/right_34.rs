//! Right: a next_item helper loops: it reads the flag, then tries the buffer (try_recv), returning None only if the flag was up and the buffer empty, else waits a moment; the consumer uses while let.
//! Exercise `stop_flag`: one producer, three consumers, and a stop flag
//! instead of a sentinel (Python's `Event`).
//!
//! The producer sets the flag after its last item. Each consumer looks at
//! the flag before each wait for an item, and stops once it is set. But
//! when the flag goes up, items may still be in the buffer: they are never
//! processed. It passes some runs and fails others. Make the consumers
//! stop only when nothing is left for them. (The producer sets the flag
//! even when it panics; a consumer that panics, `--panic-at consumer:2`,
//! must not stop the others.)
//!
//! Grade it: `cargo xtask exercise stop_flag`. Chapter: a stop flag and a
//! timeout (book/src/event-timeout.md). Stuck? `exercises/stop_flag/hint.md`.

use std::panic::{self, AssertUnwindSafe};
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

fn producer(queue: Sender<Item>, stop: &AtomicBool, settings: &Settings) {
    println!("Producer: Running");
    // Even if making the items panics, the flag goes up before the panic
    // is passed on: the channel never closes here, so without the flag
    // the consumers would wait for ever.
    let made = panic::catch_unwind(AssertUnwindSafe(|| {
        let mut rng = settings.rng(0);
        for i in 0..settings.items {
            let item = Item {
                i,
                value: rng.random(),
            };
            thread::sleep(settings.effort("Producer", item));
            let _ = queue.send(item);
        }
    }));
    stop.store(true, Ordering::Release);
    if let Err(panic) = made {
        panic::resume_unwind(panic);
    }
    println!("Producer: Done");
}

fn next_item(queue: &Receiver<Item>, stop: &AtomicBool) -> Option<Item> {
    loop {
        let no_more_coming = stop.load(Ordering::Acquire);
        if let Ok(item) = queue.try_recv() {
            return Some(item);
        }
        if no_more_coming {
            return None;
        }
        // Not yet: wait a little for the producer (an item may come first).
        if let Ok(item) = queue.recv_timeout(TIMEOUT) {
            return Some(item);
        }
    }
}

fn consumer(id: usize, queue: Receiver<Item>, stop: &AtomicBool, settings: &Settings) {
    let me = format!("Consumer {id}");
    println!("{me}: Running");
    while let Some(item) = next_item(&queue, stop) {
        thread::sleep(settings.effort(&me, item));
        println!(">consumer {id} got {item}");
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
