//! Wrong: the producer raises the flag (through a `last_call!` macro) just before it sends its last item, and consumers stop on a timeout with the flag up and the buffer empty.
//!
//! A consumer can see the flag up and the buffer still empty in the moment before
//! the last send: it stops, and the last item is lost (or, at capacity 0, the
//! producer waits for ever for a taker).
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

/// Raises the flag: no more items after this one.
macro_rules! last_call {
    ($stop:expr) => {
        $stop.store(true, Ordering::Release)
    };
}

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
            if i + 1 == settings.items {
                // The last one: tell the consumers to wind down now.
                last_call!(stop);
            }
            let _ = queue.send(item);
        }
    }));
    stop.store(true, Ordering::Release);
    if let Err(panic) = made {
        panic::resume_unwind(panic);
    }
    println!("Producer: Done");
}

fn consumer(id: usize, queue: Receiver<Item>, stop: &AtomicBool, settings: &Settings) {
    let me = format!("Consumer {id}");
    println!("{me}: Running");
    loop {
        match queue.recv_timeout(TIMEOUT) {
            Ok(item) => {
                thread::sleep(settings.effort(&me, item));
                println!(">consumer {id} got {item}");
            }
            Err(RecvTimeoutError::Timeout) => {
                // Flag up and a whole timeout without an item: nothing left.
                if stop.load(Ordering::Acquire) && queue.is_empty() {
                    break;
                }
            }
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
