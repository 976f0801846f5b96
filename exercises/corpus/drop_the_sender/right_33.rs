//! Right: the scope's closure moves main's sender in with `let sender = sender;`, so it is dropped when the closure returns, before the scope waits for the threads.
//! Exercise `drop_the_sender`: three producers, five consumers, and no
//! sentinel at all: a consumer's loop ends when the channel is empty and
//! every sender has been dropped.
//!
//! Each producer drops its sender when it ends, yet the consumers wait for
//! ever once the items are done. Find the sender that is still alive, and
//! end it, without adding a sentinel or changing the consumers.
//!
//! Grade it: `cargo xtask exercise drop_the_sender`. Chapter: shutdown by
//! disconnection (book/src/disconnect.md). Stuck?
//! `exercises/drop_the_sender/hint.md`.

use std::thread;

use common::{Item, Program, Settings};
use flume::{Receiver, Sender};

const PROGRAM: Program = Program {
    name: "drop_the_sender",
    about: "Exercise: the end of the items without a sentinel",
    producers: 3,
    consumers: 5,
    items: 10,
};
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
fn main() {
    let settings = Settings::from_command_line(&PROGRAM);
    let (sender, receiver) = match settings.capacity {
        Some(capacity) => flume::bounded(capacity),
        None => flume::unbounded(),
    };
    thread::scope(|scope| {
        let sender = sender; // owned by this closure from here
        let receiver = receiver;
        for id in 0..settings.producers {
            let (sender, settings) = (sender.clone(), &settings);
            scope.spawn(move || producer(id, sender, settings));
        }
        for id in 0..settings.consumers {
            let (receiver, settings) = (receiver.clone(), &settings);
            scope.spawn(move || consumer(id, receiver, settings));
        }
    });
}
