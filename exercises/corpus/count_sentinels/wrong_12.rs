//! Wrong: the consumer counts one sentinel per producer, but main adds a safety-net thread that, after 60 s, sends one more sentinel through a weak sender "in case a producer died"; in any run longer than 60 s (e.g. --time-scale 40) that extra sentinel arrives while a producer is still working, the count is reached early and that producer's last items are lost.
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
use std::time::Duration;

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

/// No run takes longer than this; by then a missing sentinel means a dead producer.
const SAFETY_NET: Duration = Duration::from_secs(60);

fn consumer(queue: Receiver<Message>, settings: &Settings) {
    println!("Consumer: Running");
    let mut sentinels = 0;
    while let Ok(message) = queue.recv() {
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
    // A weak sender does not keep the channel open: if every producer ends,
    // the consumer still sees the disconnection.
    let safety_net = sender.downgrade();
    thread::spawn(move || {
        thread::sleep(SAFETY_NET);
        if let Some(sender) = safety_net.upgrade() {
            let _ = sender.send(Message::Sentinel);
        }
    });
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
