//! Wrong: after the first sentinel the consumer waits at most 2 s for each further message and takes a timeout as 'the others are done too'. Fails when another producer needs more than 2 s for an item after the first one finished (stalled or slow producer): its remaining items are lost.
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
    let mut sentinels = 0;
    loop {
        let message = if sentinels == 0 {
            queue.recv().ok()
        } else {
            // The others should be nearly done too.
            queue.recv_timeout(std::time::Duration::from_secs(2)).ok()
        };
        let Some(message) = message else { break };
        match message {
            Message::Item(item) => {
                thread::sleep(settings.effort("Consumer", item));
                println!(">consumer got {item}");
            }
            Message::Sentinel => {
                sentinels += 1;
                if sentinels == settings.producers {
                    break;
                }
            }
        }
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
