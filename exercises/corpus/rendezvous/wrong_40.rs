//! Wrong: capacity 0 is quietly turned into an unbounded buffer and main still produces first, so --capacity 0 is no rendezvous and --capacity 1 still hangs.
//! Exercise `rendezvous`: one producer, one consumer, and a buffer that
//! fills up before anyone reads it.
//!
//! `main` makes every item itself, then starts the consumer. With an
//! unbounded buffer that works: the items wait in it. With `--capacity 1`
//! the second `send` waits for room that only the consumer can make, and
//! the consumer has not started: it hangs. With `--capacity 0` the first
//! one does. Make it work at every capacity.
//!
//! Grade it: `cargo xtask exercise rendezvous`. Chapter: backpressure
//! (book/src/backpressure.md). Stuck? `exercises/rendezvous/hint.md`.

use std::thread;

use common::{Item, Message, Program, Settings};
use flume::{Receiver, Sender};

const PROGRAM: Program = Program {
    name: "rendezvous",
    about: "Exercise: a producer and a consumer on a bounded buffer",
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
    let settings = Settings::from_command_line(&PROGRAM);
    let (sender, receiver) = match settings.capacity.filter(|&c| c > 0) {
        Some(capacity) => flume::bounded(capacity),
        None => flume::unbounded(),
    };
    producer(sender, &settings);
    thread::scope(|scope| {
        scope.spawn(|| consumer(receiver, &settings));
    });
}
