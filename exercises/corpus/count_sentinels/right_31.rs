//! Right: a scan over queue.iter() carries the count of sentinels still to come, and take_while stops after the last one.
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
    let items = queue
        .iter()
        .scan(settings.producers, |to_come, message| {
            if *to_come == 0 {
                return None;
            }
            if message == Message::Sentinel {
                *to_come -= 1;
            }
            Some(message)
        })
        .filter_map(|message| match message {
            Message::Item(item) => Some(item),
            Message::Sentinel => None,
        });
    for item in items {
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
        for id in 0..settings.producers {
            let (sender, settings) = (sender.clone(), &settings);
            scope.spawn(move || producer(id, sender, settings));
        }
        // Only the producers hold senders now.
        drop(sender);
    });
}
