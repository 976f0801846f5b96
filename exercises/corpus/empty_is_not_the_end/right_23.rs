//! Right: a blocking recv loop; the consumer also measures how long it spent waiting (Instant, for a report on stderr only; the clock decides nothing).
//! Exercise `empty_is_not_the_end`: one producer, one consumer, and a
//! consumer that takes an empty buffer for the end.
//!
//! The consumer takes items with `try_recv`, which never waits, and stops
//! at the first `Err`. But an empty buffer may only mean that the producer
//! is still making the next item. It passes runs where the producer stays
//! ahead, and loses items in the others. Make the consumer wait for items,
//! and stop only at the end.
//!
//! Grade it: `cargo xtask exercise empty_is_not_the_end`. Chapter: one
//! producer, one consumer (book/src/one-one.md). Stuck?
//! `exercises/empty_is_not_the_end/hint.md`.

use std::thread;
use std::time::{Duration, Instant};

use common::{Item, Message, Program, Settings};
use flume::{Receiver, Sender};

const PROGRAM: Program = Program {
    name: "empty_is_not_the_end",
    about: "Exercise: a consumer that must wait for items",
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
    let mut waited = Duration::ZERO;
    loop {
        let asked = Instant::now();
        let Ok(message) = queue.recv() else { break };
        waited += asked.elapsed();
        match message {
            Message::Item(item) => {
                thread::sleep(settings.effort("Consumer", item));
                println!(">consumer got {item}");
            }
            Message::Sentinel => break,
        }
    }
    eprintln!("Consumer: waited {waited:?} for items");
    println!("Consumer: Done");
}

fn main() {
    let settings = Settings::from_command_line(&PROGRAM);
    let (sender, receiver) = match settings.capacity {
        Some(capacity) => flume::bounded(capacity),
        None => flume::unbounded(),
    };
    thread::scope(|scope| {
        scope.spawn(|| consumer(receiver, &settings));
        scope.spawn(|| producer(sender, &settings));
    });
}
