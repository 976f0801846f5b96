//! Many producers, one consumer (section 4 of the tutorial).
//!
//! If every producer sent a sentinel, the consumer would stop at the first
//! one. So the producers meet at a barrier once their items are sent, and
//! only one of them sends the single sentinel.
//!
//! ```text
//! cargo run -p many-one
//! cargo run -p many-one -- --producers 8 --seed 7 --time-scale 0.1
//! cargo run -p many-one -- --help
//! ```

use std::panic::{self, AssertUnwindSafe};
use std::sync::Barrier;
use std::thread;

use common::{Item, Message, Program, Settings};
use flume::{Receiver, Sender};

const PROGRAM: Program = Program {
    name: "many-one",
    about: "Many producers, one consumer: the producers meet at a barrier, \
            and only one of them sends the sentinel",
    producers: 3,
    consumers: 1,
    items: 5,
};

// ANCHOR: producer
fn producer(id: usize, queue: Sender<Message>, barrier: &Barrier, settings: &Settings) {
    let me = format!("Producer {id}");
    println!("{me}: Running");
    // Even if making the items panics, this producer must arrive at the
    // barrier, or the others would wait there for ever. So catch the panic,
    // arrive, and only then pass the panic on.
    let made = panic::catch_unwind(AssertUnwindSafe(|| {
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
    }));
    // Wait until every producer has sent its last item. The barrier tells
    // exactly one of them it is the leader: that one sends the sentinel.
    // (The tutorial picks producer 0; asking the barrier needs no agreement
    // on numbers.)
    if barrier.wait().is_leader() {
        let _ = queue.send(Message::Sentinel);
    }
    if let Err(panic) = made {
        panic::resume_unwind(panic);
    }
    println!("{me}: Done");
}
// ANCHOR_END: producer

// ANCHOR: consumer
fn consumer(queue: Receiver<Message>, settings: &Settings) {
    println!("Consumer: Running");
    while let Ok(message) = queue.recv() {
        match message {
            Message::Item(item) => {
                thread::sleep(settings.effort("Consumer", item));
                println!(">consumer got {item}");
            }
            Message::Sentinel => break,
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
    // It opens once every producer is waiting at it.
    let barrier = Barrier::new(settings.producers);
    thread::scope(|scope| {
        scope.spawn(|| consumer(receiver, &settings));
        for id in 0..settings.producers {
            // Each producer gets its own sender.
            let sender = sender.clone();
            let (barrier, settings) = (&barrier, &settings);
            scope.spawn(move || producer(id, sender, barrier, settings));
        }
        // Only the producers hold senders now.
        drop(sender);
    });
}
// ANCHOR_END: main
