//! Wrong: instead of sharing `main`'s settings, each thread reads the command line again through a `settings!()` macro.
//!
//! Not a clone in name, but three parses of the command line: each thread gets
//! its own copy, and without `--seed` each picks a different random seed.
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

/// The settings of this run, straight from the command line.
macro_rules! settings {
    () => {
        Settings::from_command_line(&PROGRAM)
    };
}

fn main() {
    let settings = settings!();
    let (sender, receiver) = match settings.capacity {
        Some(capacity) => flume::bounded(capacity),
        None => flume::unbounded(),
    };
    // Each thread gets its own settings, so none is cloned or borrowed.
    let consumer = thread::spawn(move || consumer(receiver, &settings!()));
    let producer = thread::spawn(move || producer(sender, &settings!()));
    producer.join().expect("the producer");
    consumer.join().expect("the consumer");
}
