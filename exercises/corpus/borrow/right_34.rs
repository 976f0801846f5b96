//! Right: the settings are stored once in a `static OnceLock<Settings>`, and both threads borrow them from there for `'static`; no clone, no `unsafe`.
//!
//! Exercise `borrow`: threads that borrow what `main` owns, settings shared, not cloned.

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

/// The run's settings, set once at the start of `main`.
static SETTINGS: OnceLock<Settings> = OnceLock::new();

fn main() {
    let settings: &'static Settings =
        SETTINGS.get_or_init(|| Settings::from_command_line(&PROGRAM));
    let (sender, receiver) = match settings.capacity {
        Some(capacity) => flume::bounded(capacity),
        None => flume::unbounded(),
    };
    let consumer = thread::spawn(move || consumer(receiver, settings));
    let producer = thread::spawn(move || producer(sender, settings));
    producer.join().expect("the producer");
    consumer.join().expect("the consumer");
}
