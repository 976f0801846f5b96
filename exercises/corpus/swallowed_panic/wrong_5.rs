//! Wrong: the consumer catches its own panic with `catch_unwind`, notes it in a flag, skips the item and goes on; main exits 101 if the flag is set.
//!
//! The exit code is faked: the consumer did not stop as a panicking thread
//! does, it went on processing the items after the failed one, so the
//! program's output claims work a crashed consumer would never have done.

use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::{process, thread};

use common::{Item, Message, Program, Settings};
use flume::{Receiver, Sender};

const PROGRAM: Program = Program {
    name: "swallowed_panic",
    about: "Exercise: a consumer's panic that must not go unheard",
    producers: 1,
    consumers: 1,
    items: 10,
};

fn producer(queue: Sender<Message>, settings: &Settings) {
    println!("Producer: Running");
    let mut rng = settings.rng(0);
    for i in 0..settings.items {
        let item = Item {
            i,
            value: rng.random(),
        };
        thread::sleep(settings.effort("Producer", item));
        if queue.send(Message::Item(item)).is_err() {
            break; // The consumer is gone.
        }
        println!(">producer added {item}");
    }
    let _ = queue.send(Message::Sentinel);
    println!("Producer: Done");
}

fn consumer(queue: Receiver<Message>, failed: &AtomicBool, settings: &Settings) {
    println!("Consumer: Running");
    while let Ok(Message::Item(item)) = queue.recv() {
        let effort = panic::catch_unwind(AssertUnwindSafe(|| settings.effort("Consumer", item)));
        let Ok(effort) = effort else {
            failed.store(true, Ordering::Release); // Remember it for the exit code.
            continue;
        };
        thread::sleep(effort);
        println!(">consumer got {item}");
    }
    println!("Consumer: Done");
}

fn main() {
    let settings = Settings::from_command_line(&PROGRAM);
    let (sender, receiver) = match settings.capacity {
        Some(capacity) => flume::bounded(capacity),
        None => flume::unbounded(),
    };
    let for_consumer = settings.clone();
    let failed: &'static AtomicBool = Box::leak(Box::new(AtomicBool::new(false)));
    let consumer = thread::spawn(move || consumer(receiver, failed, &for_consumer));
    let for_producer = settings.clone();
    let producer = thread::spawn(move || producer(sender, &for_producer));
    for thread in [consumer, producer] {
        let _ = thread.join();
    }
    if failed.load(Ordering::Acquire) {
        process::exit(101);
    }
}
