//! Wrong: the producer's thread parses the command line again (`Settings::from_command_line` a second time) and so gets a second `Settings` value instead of sharing main's: a copy made without `.clone()`, which the exercise forbids ("not even once: share them"); the run's note on stderr comes twice.
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

/// The run's settings, as a thread of its own reads them.
fn settings() -> Settings {
    Settings::from_command_line(&PROGRAM)
}

fn main() {
    let settings = settings();
    let (sender, receiver) = match settings.capacity {
        Some(capacity) => flume::bounded(capacity),
        None => flume::unbounded(),
    };
    // Each thread owns what it uses: its own reading of the command line.
    let consumer = thread::spawn(move || consumer(receiver, &settings));
    let producer = thread::spawn(|| producer(sender, &self::settings()));
    producer.join().expect("the producer");
    consumer.join().expect("the consumer");
}
