//! Wrong: makes the buffer big enough for every item, `bounded(capacity.max(items + 1))`, so the producer never fills it.
//!
//! No send waits, so nothing hangs, but the bound --capacity asks for is
//! broken: with --capacity 1 all ten items (and the sentinel) wait in the
//! buffer at once.

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
    let (sender, receiver) = match settings.capacity {
        // Room for every item and the sentinel, so that no send waits.
        Some(capacity) => flume::bounded(capacity.max(settings.items + 1)),
        None => flume::unbounded(),
    };
    producer(sender, &settings);
    thread::scope(|scope| {
        scope.spawn(|| consumer(receiver, &settings));
    });
}
