//! Shutdown by disconnection, the Rust way: no sentinel at all.
//!
//! Each producer owns a `Sender` and drops it when it has sent its last
//! item. When the last `Sender` is gone, the channel is *disconnected*:
//! consumers receive whatever is still buffered, and then their loop ends.
//! The same code runs every configuration, from one-to-one to many-to-many.
//!
//! ```text
//! cargo run --example disconnect
//! cargo run --example disconnect -- --producers 1 --consumers 1 --seed 7
//! cargo run --example disconnect -- --help
//! ```

use std::thread;

use common::{Item, Program, Settings};
use flume::{Receiver, Sender};

const PROGRAM: Program = Program {
    name: "disconnect",
    about: "Shutdown without a sentinel: the channel closes when the last sender is dropped",
    producers: 3,
    consumers: 5,
    items: 10,
};

// ANCHOR: producer
/// Makes its items and sends them. Returning drops `queue`, this
/// producer's `Sender`: that is its whole shutdown.
fn producer(id: usize, queue: Sender<Item>, settings: &Settings) {
    let me = format!("Producer {id}");
    println!("{me}: Running");
    let mut rng = settings.rng(id);
    for i in 0..settings.items {
        let item = Item {
            i,
            value: rng.random(),
        };
        thread::sleep(settings.effort(&me, item));
        if queue.send(item).is_err() {
            break; // Every consumer is gone.
        }
    }
    println!("{me}: Done");
}
// ANCHOR_END: producer

// ANCHOR: consumer
/// Processes items until the channel is empty and disconnected.
fn consumer(id: usize, queue: Receiver<Item>, settings: &Settings) {
    let me = format!("Consumer {id}");
    println!("{me}: Running");
    // The loop waits while the channel is empty, and ends once it is empty
    // and every sender has been dropped.
    for item in queue {
        thread::sleep(settings.effort(&me, item));
        println!(">consumer {id} got {item}");
    }
    println!("{me}: Done");
}
// ANCHOR_END: consumer

// ANCHOR: main
fn main() {
    let settings = Settings::from_command_line(&PROGRAM);
    let (sender, receiver) = match settings.capacity {
        Some(capacity) => flume::bounded(capacity),
        None => flume::unbounded(),
    };
    thread::scope(|scope| {
        for id in 0..settings.consumers {
            let (receiver, settings) = (receiver.clone(), &settings);
            scope.spawn(move || consumer(id, receiver, settings));
        }
        for id in 0..settings.producers {
            let (sender, settings) = (sender.clone(), &settings);
            scope.spawn(move || producer(id, sender, settings));
        }
        // The originals must go too: a sender kept here would hold the
        // channel open, and the consumers would wait for ever.
        drop((sender, receiver));
    });
}
// ANCHOR_END: main
