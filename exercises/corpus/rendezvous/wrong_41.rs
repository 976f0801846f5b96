//! Wrong: a helper widens the buffer to at least `items + 1` so that `main` can still make every item before the consumer starts: it ends, but `--capacity 0` or 1 no longer bounds the buffer.
//!
//! Exercise `rendezvous`: a producer and a consumer on a bounded buffer.

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

/// Room for the run: what `--capacity` asks, but never less than every
/// item and the sentinel, so that the producer never waits.
fn room(settings: &Settings) -> Option<usize> {
    settings
        .capacity
        .map(|capacity| capacity.max(settings.items + 1))
}

fn main() {
    let settings = Settings::from_command_line(&PROGRAM);
    let (sender, receiver) = match room(&settings) {
        Some(capacity) => flume::bounded(capacity),
        None => flume::unbounded(),
    };
    producer(sender, &settings);
    thread::scope(|scope| {
        scope.spawn(|| consumer(receiver, &settings));
    });
}
