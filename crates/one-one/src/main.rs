//! One producer, one consumer, and a sentinel that says "no more items"
//! (section 3 of the tutorial).
//!
//! The producer makes ten items, each after some simulated effort, puts
//! them in a shared buffer, then puts the sentinel. The consumer takes items
//! out until it reads the sentinel.
//!
//! ```text
//! cargo run -p one-one
//! cargo run -p one-one -- --seed 7 --time-scale 0.1 --capacity 1
//! cargo run -p one-one -- --help
//! ```

use std::thread;

use common::{Item, Message, Program, Settings};
use flume::{Receiver, Sender};

const PROGRAM: Program = Program {
    name: "one-one",
    about: "One producer, one consumer, and a sentinel that says \"no more items\"",
    producers: 1,
    consumers: 1,
    items: 10,
};

// ANCHOR: producer
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
            break; // The consumer is gone: nobody will read any more items.
        }
        println!(">producer added {item}");
    }
    // Tell the consumer that no more items will come.
    let _ = queue.send(Message::Sentinel);
    println!("Producer: Done");
}
// ANCHOR_END: producer

// ANCHOR: consumer
fn consumer(queue: Receiver<Message>, settings: &Settings) {
    println!("Consumer: Running");
    // `recv` waits while the buffer is empty. It fails only if the producer
    // is gone without sending the sentinel.
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
// ANCHOR_END: consumer

// ANCHOR: main
fn main() {
    let settings = Settings::from_command_line(&PROGRAM);
    // ANCHOR: channel
    // The shared buffer: `--capacity N` bounds it to N items (0 hands each
    // item over directly); without it, it grows as needed.
    let (sender, receiver) = match settings.capacity {
        Some(capacity) => flume::bounded(capacity),
        None => flume::unbounded(),
    };
    // ANCHOR_END: channel
    // Scoped threads may borrow `settings`: the scope waits for both.
    thread::scope(|scope| {
        scope.spawn(|| consumer(receiver, &settings));
        scope.spawn(|| producer(sender, &settings));
    });
}
// ANCHOR_END: main
