//! Right: a `Tally` struct counts one sentinel per producer (`settings.producers`) and the consumer stops at the last one, or earlier only if the channel closes (a producer died without its sentinel).
//!
//! Exercise `count_sentinels`: one sentinel per producer, one consumer.

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
/// Sentinels still to come: one per producer.
struct Tally {
    left: usize,
}

impl Tally {
    /// Records one sentinel; true once every producer has sent its own.
    fn all_done(&mut self) -> bool {
        self.left = self.left.saturating_sub(1);
        self.left == 0
    }
}

fn consumer(queue: Receiver<Message>, settings: &Settings) {
    println!("Consumer: Running");
    let mut tally = Tally {
        left: settings.producers,
    };
    while let Ok(message) = queue.recv() {
        match message {
            Message::Item(item) => {
                thread::sleep(settings.effort("Consumer", item));
                println!(">consumer got {item}");
            }
            Message::Sentinel => {
                if tally.all_done() {
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
