//! Right: the producer owns its sender and sends one iterator of messages, its items followed by `Message::Sentinel` (`chain(once(...))`), so the sentinel is always the last message (and a producer panic closes the channel instead of hanging).
//!
//! Exercise `sentinel`: one producer, one consumer, and a sentinel after
//! the last item.

use std::iter;
use std::thread;

use common::{Item, Message, Program, Settings};
use flume::{Receiver, Sender};

const PROGRAM: Program = Program {
    name: "sentinel",
    about: "Exercise: one producer, one consumer, and the end of the items",
    producers: 1,
    consumers: 1,
    items: 10,
};

fn producer(queue: Sender<Message>, settings: &Settings) {
    println!("Producer: Running");
    let mut rng = settings.rng(0);
    let items = (0..settings.items).map(|i| {
        let item = Item {
            i,
            value: rng.random(),
        };
        thread::sleep(settings.effort("Producer", item));
        Message::Item(item)
    });
    for message in items.chain(iter::once(Message::Sentinel)) {
        queue.send(message).expect("the consumer is there");
        if let Message::Item(item) = message {
            println!(">producer added {item}");
        }
    }
    println!("Producer: Done");
}

fn consumer(queue: &Receiver<Message>, settings: &Settings) {
    println!("Consumer: Running");
    // The sentinel ends the loop; the channel closes only if the producer
    // died before sending it.
    while let Ok(message) = queue.recv() {
        match message {
            Message::Item(item) => {
                thread::sleep(settings.effort("Consumer", item));
                println!(">consumer got {item}");
            }
            Message::Sentinel => break,
        }
    }
    println!("Consumer: Done");
}

fn main() {
    let settings = Settings::from_command_line(&PROGRAM);
    let (sender, receiver) = match settings.capacity {
        Some(capacity) => flume::bounded(capacity),
        None => flume::unbounded(),
    };
    thread::scope(|scope| {
        // The consumer's thread owns the receiver: if it dies, the
        // producer's `send` fails instead of waiting for room.
        scope.spawn(|| {
            let receiver = receiver;
            consumer(&receiver, &settings)
        });
        scope.spawn(|| producer(sender, &settings));
    });
}
