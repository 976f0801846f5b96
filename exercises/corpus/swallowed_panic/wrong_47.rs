//! Wrong: after joining both, main exits with code 1 on a panic, not 101 as the exercise asks.
//! Exercise `swallowed_panic`: one producer, one consumer, and a panic
//! that nobody hears of.
//!
//! Run it with `--panic-at consumer:3`: the consumer panics on item 3, the
//! producer stops (nobody reads any more), and the program ends with exit
//! code 0, as if every item had been processed. A script or a supervisor
//! running it would never know. Make the program end as a panic does
//! (exit code 101), once every thread is done.
//!
//! Grade it: `cargo xtask exercise swallowed_panic`. Chapter: a consumer
//! that panics (book/src/consumer-panic.md). Stuck?
//! `exercises/swallowed_panic/hint.md`.

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
    let results = [consumer.join(), producer.join()];
    if results.iter().any(Result::is_err) {
        std::process::exit(1);
    }
}
