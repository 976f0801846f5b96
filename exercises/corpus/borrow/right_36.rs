//! Right: the settings live in a `static LazyLock`, so `thread::spawn` closures can borrow them as `&'static`.
//!
//! The command line is read once (forced in `main` before any thread starts), the
//! settings are never cloned, and both threads are joined as given.
use std::sync::LazyLock;
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

/// The settings, read from the command line once, on first use, and shared
/// by every thread for the whole run.
static SETTINGS: LazyLock<Settings> = LazyLock::new(|| Settings::from_command_line(&PROGRAM));

fn main() {
    // Read them here, before any thread starts.
    let settings: &'static Settings = &SETTINGS;
    let (sender, receiver) = match settings.capacity {
        Some(capacity) => flume::bounded(capacity),
        None => flume::unbounded(),
    };
    let consumer = thread::spawn(move || consumer(receiver, settings));
    let producer = thread::spawn(move || producer(sender, settings));
    producer.join().expect("the producer");
    consumer.join().expect("the consumer");
}
