//! The most common channel bug: a `Sender` nobody uses, but nobody drops,
//! keeps the channel open, and the consumer's loop never ends. Here the
//! consumer waits with a timeout, so the hang shows itself instead of
//! hanging, and says what is holding the channel open.
//!
//! ```text
//! cargo run --example forgotten_sender
//! cargo run --example forgotten_sender -- --time-scale 0.1
//! cargo run --example forgotten_sender -- --help
//! ```

use std::thread;
use std::time::Duration;

use common::{Item, Program, Settings};
use flume::{Receiver, RecvTimeoutError, Sender};

const PROGRAM: Program = Program {
    name: "forgotten_sender",
    about: "A sender clone that is never dropped keeps the channel open; a timeout shows the hang safely",
    producers: 1,
    consumers: 1,
    items: 5,
};

/// How long the consumer waits for an item before it calls the channel
/// stuck, in simulated seconds (times `--time-scale`, and at least half a
/// second, far longer than a busy machine keeps the producer from
/// running).
const PATIENCE: f64 = 2.0;

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
            break; // The consumer is gone.
        }
    }
    println!("Producer: Done");
}

// ANCHOR: consumer
/// Like `for item in queue`, but gives up after `patience` without an
/// item, and says why the channel is still open.
fn consumer(queue: Receiver<Item>, settings: &Settings) {
    println!("Consumer: Running");
    let patience = Duration::from_secs_f64((PATIENCE * settings.time_scale).max(0.5));
    loop {
        match queue.recv_timeout(patience) {
            Ok(item) => {
                thread::sleep(settings.effort("Consumer", item));
                println!(">consumer got {item}");
            }
            Err(RecvTimeoutError::Disconnected) => break, // The normal end.
            Err(RecvTimeoutError::Timeout) => {
                eprintln!(
                    "forgotten_sender: the consumer gave up waiting: the channel is still \
                     open ({} sender alive); the fix is drop(sender) in main",
                    queue.sender_count()
                );
                break;
            }
        }
    }
    println!("Consumer: Done");
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
        scope.spawn(|| consumer(receiver, &settings));
        let (for_producer, settings) = (sender.clone(), &settings);
        scope.spawn(move || producer(for_producer, settings));
        // The bug: `sender` stays alive while the threads run, so the
        // channel cannot disconnect when the producer is done. The fix is
        // one line here: `drop(sender);`
    });
    drop(sender); // Too late: the scope has already waited for the consumer.
}
// ANCHOR_END: main
