//! Right: let-else handles no --capacity (unbounded), and a bounded channel otherwise; the producer is spawned first.
//! Exercise `bound_it`: one fast producer, one slow consumer, and a buffer
//! that grows without limit.
//!
//! The consumer spends 2 ms more on each item than the producer does, so
//! items pile up in the buffer: with 1,000 items, or a million, they all
//! wait in memory. `--capacity N` is meant to bound the buffer to N items,
//! so that a full buffer makes the producer wait; this program ignores
//! it. Make it keep the bound.
//!
//! Grade it: `cargo xtask exercise bound_it`. Chapter: backpressure
//! (book/src/backpressure.md). Stuck? `exercises/bound_it/hint.md`.

use std::thread;
use std::time::Duration;

use common::{Item, Message, Program, Settings};
use flume::{Receiver, Sender};

const PROGRAM: Program = Program {
    name: "bound_it",
    about: "Exercise: a bounded buffer between a fast producer and a slow consumer",
    producers: 1,
    consumers: 1,
    items: 10,
};

/// What the consumer spends on each item, beyond its simulated effort:
/// it writes each one to a slow disk, say.
const SLOW: Duration = Duration::from_millis(2);

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
            break; // The consumer is gone.
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
        thread::sleep(SLOW);
        println!(">consumer got {item}");
    }
    println!("Consumer: Done");
}

fn run(settings: &Settings, sender: Sender<Message>, receiver: Receiver<Message>) {
    thread::scope(|scope| {
        scope.spawn(|| producer(sender, settings));
        scope.spawn(|| consumer(receiver, settings));
    });
}

fn main() {
    let settings = Settings::from_command_line(&PROGRAM);
    let Some(capacity) = settings.capacity else {
        let (sender, receiver) = flume::unbounded();
        return run(&settings, sender, receiver);
    };
    let (sender, receiver) = flume::bounded(capacity);
    run(&settings, sender, receiver);
}
