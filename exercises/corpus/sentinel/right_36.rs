//! Right: a small `Outbox` struct owns the sender; its `close(self)` method, which consumes it, sends the sentinel after the producer's last `put` (a producer panic drops it and closes the channel).
//!
//! Exercise `sentinel`: one producer, one consumer, and a sentinel after
//! the last item.

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

/// The producer's side of the channel: items, then one sentinel.
struct Outbox {
    queue: Sender<Message>,
}

impl Outbox {
    fn put(&self, item: Item) {
        self.queue
            .send(Message::Item(item))
            .expect("the consumer is there");
    }

    /// No item can be put after this: it takes the outbox.
    fn close(self) {
        self.queue
            .send(Message::Sentinel)
            .expect("the consumer is there");
    }
}

fn producer(outbox: Outbox, settings: &Settings) {
    println!("Producer: Running");
    let mut rng = settings.rng(0);
    for i in 0..settings.items {
        let item = Item {
            i,
            value: rng.random(),
        };
        thread::sleep(settings.effort("Producer", item));
        outbox.put(item);
        println!(">producer added {item}");
    }
    outbox.close();
    println!("Producer: Done");
}

fn consumer(queue: &Receiver<Message>, settings: &Settings) {
    println!("Consumer: Running");
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
        scope.spawn(|| producer(Outbox { queue: sender }, &settings));
    });
}
