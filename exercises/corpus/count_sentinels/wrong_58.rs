//! Wrong: the fix is right, but `main` runs the consumer inside a `quietly` helper (`catch_unwind`, result dropped), so with `--panic-at consumer:3` the consumer's panic is swallowed and the program exits 0 although items were lost.
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

/// Runs a consumer; if it panics, the panic hook has said so already, and
/// the run goes on without it.
fn quietly(consume: impl FnOnce()) {
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(consume));
}

fn main() {
    let settings = Settings::from_command_line(&PROGRAM);
    let (sender, receiver) = match settings.capacity {
        Some(capacity) => flume::bounded(capacity),
        None => flume::unbounded(),
    };
    thread::scope(|scope| {
        scope.spawn(|| quietly(|| consumer(receiver, &settings)));
        for id in 0..settings.producers {
            let (sender, settings) = (sender.clone(), &settings);
            scope.spawn(move || producer(id, sender, settings));
        }
        // Only the producers hold senders now.
        drop(sender);
    });
}
