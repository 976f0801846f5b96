//! Right: the settings live in a static OnceLock, set once by main, and both threads borrow them from there.
//! Exercise `borrow`: one producer, one consumer, and threads that borrow
//! what `main` owns.
//!
//! This file does not compile. Read the first error: `thread::spawn`
//! wants a closure that may outlive `main`, and these closures borrow
//! `settings`. Make it compile and run without cloning the settings
//! (not even once: share them) and without `unsafe`.
//!
//! Grade it: `cargo xtask exercise borrow`. Chapter: threads and channels
//! (book/src/threads-and-channels.md). Stuck? `exercises/borrow/hint.md`.

use std::thread;

use common::{Item, Message, Program, Settings};
use flume::{Receiver, Sender};

const PROGRAM: Program = Program {
    name: "borrow",
    about: "Exercise: threads that borrow what main owns",
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
            break;
        }
        println!(">producer added {item}");
    }
    let _ = queue.send(Message::Sentinel);
    println!("Producer: Done");
}

fn consumer(queue: Receiver<Message>, settings: &Settings) {
    println!("Consumer: Running");
    while let Ok(Message::Item(item)) = queue.recv() {
        thread::sleep(settings.effort("Consumer", item));
        println!(">consumer got {item}");
    }
    println!("Consumer: Done");
}

use std::sync::OnceLock;

static SETTINGS: OnceLock<Settings> = OnceLock::new();

fn settings() -> &'static Settings {
    SETTINGS.get().expect("main sets them first")
}

fn main() {
    let parsed = Settings::from_command_line(&PROGRAM);
    let (sender, receiver) = match parsed.capacity {
        Some(capacity) => flume::bounded(capacity),
        None => flume::unbounded(),
    };
    if SETTINGS.set(parsed).is_err() {
        unreachable!("set only here");
    }
    let consumer = thread::spawn(move || consumer(receiver, settings()));
    let producer = thread::spawn(move || producer(sender, settings()));
    producer.join().expect("the producer");
    consumer.join().expect("the consumer");
}
