//! A consumer that panics halfway: the item it was processing is lost, the
//! other consumers go on, and the program ends with Rust's exit code for a
//! panic (101) once every thread is done.
//!
//! The wiring is the disconnection example's: a consumer that dies drops
//! its `Receiver` as it unwinds, and the others keep receiving. A bug that
//! only one item triggers stands for the crash.
//!
//! ```text
//! cargo run --example consumer_panic
//! cargo run --example consumer_panic -- --consumers 1 --seed 7
//! cargo run --example consumer_panic -- --help
//! ```

use std::thread;

use common::{Item, Program, Settings};
use flume::{Receiver, Sender};

const PROGRAM: Program = Program {
    name: "consumer_panic",
    about: "One of three consumers panics on the item halfway through the run: the others \
            go on, and the program ends with a panic's exit code",
    producers: 1,
    consumers: 3,
    items: 10,
};

fn producer(queue: Sender<Item>, settings: &Settings) {
    println!("Producer: Running");
    let mut rng = settings.rng(0);
    for i in 0..settings.items {
        let item = Item {
            i,
            value: rng.random(),
        };
        thread::sleep(settings.effort("Producer", item));
        if queue.send(item).is_err() {
            break; // Every consumer is gone.
        }
    }
    println!("Producer: Done");
}

// ANCHOR: consumer
/// Processes items until the channel is empty and disconnected, and
/// panics on the item halfway through the run.
fn consumer(id: usize, queue: Receiver<Item>, settings: &Settings) {
    let me = format!("Consumer {id}");
    println!("{me}: Running");
    for item in queue {
        thread::sleep(settings.effort(&me, item));
        // Stands for a bug that only this item triggers.
        assert!(item.i != settings.items / 2, "{me} cannot process {item}");
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
    // The scope waits for every thread, then panics itself if one of them
    // did: the run ends only when the other consumers have drained the
    // channel, and its exit code still says that something went wrong.
    thread::scope(|scope| {
        for id in 0..settings.consumers {
            let (receiver, settings) = (receiver.clone(), &settings);
            scope.spawn(move || consumer(id, receiver, settings));
        }
        scope.spawn(|| producer(sender, &settings));
        drop(receiver);
    });
}
// ANCHOR_END: main
