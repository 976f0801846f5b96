//! Right: an `Inbox` helper struct gives the next item or `None`: it tries the buffer, and, once the flag is up, looks one last time without waiting; a plain `while let` loop processes its items.
//!
//! Exercise `stop_flag`: consumers that stop at a flag, once nothing is left.

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

/// A consumer's view of the work: the channel and the flag.
struct Inbox<'a> {
    queue: &'a Receiver<Item>,
    stop: &'a AtomicBool,
}

impl Inbox<'_> {
    /// The next item; `None` once the flag is up and nothing is left.
    fn next_item(&self) -> Option<Item> {
        loop {
            if let Ok(item) = self.queue.try_recv() {
                return Some(item);
            }
            if self.stop.load(Ordering::Acquire) {
                // Everything was sent before the flag: a last look.
                return self.queue.try_recv().ok();
            }
            match self.queue.recv_timeout(TIMEOUT) {
                Ok(item) => return Some(item),
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => return None,
            }
        }
    }
}

fn consumer(id: usize, queue: Receiver<Item>, stop: &AtomicBool, settings: &Settings) {
    let me = format!("Consumer {id}");
    println!("{me}: Running");
    let inbox = Inbox {
        queue: &queue,
        stop,
    };
    while let Some(item) = inbox.next_item() {
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
