//! Right: `main` joins both threads, counts the ones that panicked, and then panics itself with its own message naming how many did, so it exits 101 once every thread is done.
//!
//! Exercise `swallowed_panic`: a consumer's panic that must not go unheard.

use std::thread;

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

fn consumer(queue: Receiver<Message>, settings: &Settings) {
    println!("Consumer: Running");
    while let Ok(Message::Item(item)) = queue.recv() {
        thread::sleep(settings.effort("Consumer", item));
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
    let consumer = thread::spawn(move || consumer(receiver, &for_consumer));
    let for_producer = settings.clone();
    let producer = thread::spawn(move || producer(sender, &for_producer));
    let failed = [("consumer", consumer), ("producer", producer)]
        .into_iter()
        .filter_map(|(name, thread)| thread.join().is_err().then_some(name))
        .collect::<Vec<_>>();
    if !failed.is_empty() {
        panic!("{} thread(s) panicked: {}", failed.len(), failed.join(", "));
    }
}
