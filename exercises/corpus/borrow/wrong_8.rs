//! Wrong: the consumer waits for each message with a Selector that gives up after 40 s and takes that for the end, so when the producer spends more than 40 s on one item (e.g. --stall producer:3:45) the consumer leaves and the remaining items are never consumed.
//! Exercise `borrow`: one producer, one consumer, and threads that borrow
//! what `main` owns.
//!
//! This file does not compile. Read the first error: `thread::spawn`
//! wants a closure that may outlive `main`, and these closures borrow
//! `settings`. Make it compile and run, without cloning the settings
//! into each thread, and without `unsafe`.
//!
//! Grade it: `cargo xtask exercise borrow`. Chapter: threads and channels
//! (book/src/threads-and-channels.md). Stuck? `exercises/borrow/hint.md`.

use std::thread;
use std::time::Duration;

use common::{Item, Message, Program, Settings};
use flume::{Receiver, Selector, Sender};

const PROGRAM: Program = Program {
    name: "borrow",
    about: "Exercise: threads that borrow what main owns",
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

/// How long the consumer waits for the next message before it gives up.
const PATIENCE: Duration = Duration::from_secs(40);

fn next(queue: &Receiver<Message>) -> Option<Message> {
    Selector::new()
        .recv(queue, |message| message.ok())
        .wait_timeout(PATIENCE)
        .ok()
        .flatten()
}

fn consumer(queue: Receiver<Message>, settings: &Settings) {
    println!("Consumer: Running");
    while let Some(Message::Item(item)) = next(&queue) {
        thread::sleep(settings.effort("Consumer", item));
        println!(">consumer got {item}");
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
        scope.spawn(|| consumer(receiver, &settings));
        scope.spawn(|| producer(sender, &settings));
    });
}
