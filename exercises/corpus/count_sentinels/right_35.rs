//! Right: the consumer iterates over a helper that counts sentinels down with `Iterator::scan` over `queue.iter()`, ending at the last one.
//!
//! Sentinels before the last are skipped by `flatten`; `iter()` also ends once
//! every sender is gone, so a producer that dies without its sentinel stops nothing.
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
    for item in until_every_sentinel(&queue, settings.producers) {
        thread::sleep(settings.effort("Consumer", item));
        println!(">consumer got {item}");
    }
    println!("Consumer: Done");
}

/// The items on `queue` until `producers` sentinels have come (or every
/// sender is gone, as when a producer dies before sending its own).
fn until_every_sentinel(
    queue: &Receiver<Message>,
    producers: usize,
) -> impl Iterator<Item = Item> + '_ {
    queue
        .iter()
        .scan(producers, |running, message| match message {
            Message::Item(item) => Some(Some(item)),
            Message::Sentinel => {
                *running -= 1;
                // The last sentinel ends the stream; earlier ones are skipped.
                if *running == 0 { None } else { Some(None) }
            }
        })
        .flatten()
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
