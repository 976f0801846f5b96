//! Wrong: the settings are leaked to a `&'static` and shared, but only the producer is joined: the consumer's handle is dropped (detached), so `main` returns while the consumer still works and its last items are lost.
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

fn main() {
    let settings: &'static Settings = Box::leak(Box::new(Settings::from_command_line(&PROGRAM)));
    let (sender, receiver) = match settings.capacity {
        Some(capacity) => flume::bounded(capacity),
        None => flume::unbounded(),
    };
    // The consumer ends by itself at the sentinel: no need to wait for it.
    thread::spawn(move || consumer(receiver, settings));
    let producer = thread::spawn(move || producer(sender, settings));
    producer.join().expect("the producer");
}
