//! Wrong: threads started with `thread::spawn` and the producers joined with `collect::<Result<Vec<_>, _>>()`, which stops at the first panicked producer: main re-raises that panic at once, so when producer 0 panics early the process exits while producers 1 and 2 and the consumer still work, their items and `Done` lines lost.
//! Exercise `count_sentinels`: three producers, each sending its own
//! sentinel when it is done, and one consumer.
//!
//! The consumer stops at the first sentinel, as if there were one
//! producer: the items the others send after it are never processed. It
//! passes some runs and fails others. Make the consumer stop at the right
//! time, without changing the producers.
//!
//! Grade it: `cargo xtask exercise count_sentinels`. Chapter: counting
//! sentinels (book/src/counting-sentinels.md). Stuck?
//! `exercises/count_sentinels/hint.md`.
use std::panic;
use std::sync::Arc;
use std::thread;

use common::{Item, Message, Program, Settings};
use flume::{Receiver, Sender};

const PROGRAM: Program = Program {
    name: "count_sentinels",
    about: "Exercise: many producers, each with its own sentinel, one consumer",
    producers: 3,
    consumers: 1,
    items: 5,
};
fn producer(id: usize, queue: Sender<Message>, settings: &Settings) {
    let me = format!("Producer {id}");
    println!("{me}: Running");
    let mut rng = settings.rng(id);
    for i in 0..settings.items {
        let item = Item {
            i,
            value: rng.random(),
        };
        thread::sleep(settings.effort(&me, item));
        if queue.send(Message::Item(item)).is_err() {
            break; // The consumer is gone.
        }
    }
    // This producer is done; no need to wait for the others.
    let _ = queue.send(Message::Sentinel);
    println!("{me}: Done");
}
fn consumer(queue: Receiver<Message>, settings: &Settings) {
    println!("Consumer: Running");
    // One sentinel per producer; a producer that panicked sends none, but
    // then recv fails once every sender is gone.
    let mut left = settings.producers;
    while let Ok(message) = queue.recv() {
        match message {
            Message::Item(item) => {
                thread::sleep(settings.effort("Consumer", item));
                println!(">consumer got {item}");
            }
            Message::Sentinel => {
                left -= 1;
                if left == 0 {
                    break;
                }
            }
        }
    }
    println!("Consumer: Done");
}

fn main() {
    let settings = Arc::new(Settings::from_command_line(&PROGRAM));
    let (sender, receiver) = match settings.capacity {
        Some(capacity) => flume::bounded(capacity),
        None => flume::unbounded(),
    };
    let consumer = {
        let settings = Arc::clone(&settings);
        thread::spawn(move || consumer(receiver, &settings))
    };
    let producers: Vec<_> = (0..settings.producers)
        .map(|id| {
            let (sender, settings) = (sender.clone(), Arc::clone(&settings));
            thread::spawn(move || producer(id, sender, &settings))
        })
        .collect();
    drop(sender);
    // Join every producer, then the consumer; a panic is reported as one.
    let made: Result<Vec<()>, _> = producers.into_iter().map(|p| p.join()).collect();
    if let Err(payload) = made {
        panic::resume_unwind(payload);
    }
    if let Err(payload) = consumer.join() {
        panic::resume_unwind(payload);
    }
}
