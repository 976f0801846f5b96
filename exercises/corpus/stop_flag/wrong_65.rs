//! Wrong: takes everything left into one consumer's hands at once (`drain()`): if that consumer dies on one of them (a late `--panic-at consumer:7`, with items still waiting), the rest die with it, though the other consumers are alive to take them. Was: a Worker struct loops until the flag is up, then drains everything left with drain() before stopping; the flag goes up after the last send, so what is drained is all that remains.
//!
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

/// Takes items until the flag is up, then takes whatever is left.
struct Worker<'a> {
    id: usize,
    me: String,
    queue: Receiver<Item>,
    stop: &'a AtomicBool,
    settings: &'a Settings,
}

impl Worker<'_> {
    fn process(&self, item: Item) {
        thread::sleep(self.settings.effort(&self.me, item));
        println!(">consumer {} got {item}", self.id);
    }

    fn run(self) {
        println!("{}: Running", self.me);
        while !self.stop.load(Ordering::Acquire) {
            match self.queue.recv_timeout(TIMEOUT) {
                Ok(item) => self.process(item),
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => break,
            }
        }
        // The flag is up: nothing more will be sent. Drain what is left.
        for item in self.queue.drain() {
            self.process(item);
        }
        println!("{}: Done", self.me);
    }
}

fn consumer(id: usize, queue: Receiver<Item>, stop: &AtomicBool, settings: &Settings) {
    let me = format!("Consumer {id}");
    Worker {
        id,
        me,
        queue,
        stop,
        settings,
    }
    .run();
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
