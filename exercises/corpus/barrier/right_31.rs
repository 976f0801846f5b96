//! Right: an AtomicUsize counts producers still working; the one whose fetch_sub takes it to zero (AcqRel) sends the only sentinel, after every other producer's last send.
//! Exercise `barrier`: three producers, one consumer, and a sentinel sent
//! too early.
//!
//! Producer 0 sends the sentinel as soon as its own items are out. But the
//! other producers may still be making theirs: the consumer stops at the
//! sentinel, and their items are never processed. It passes some runs and
//! fails others. Send one sentinel, from one producer, once every producer
//! is done. A producer that panics (`--panic-at producer-1:2`) is done
//! too: the others' items must still be processed, and the program end
//! with the panic's exit code, 101, not wait for it for ever.
//!
//! Grade it: `cargo xtask exercise barrier`. Chapter: many producers, one
//! consumer (book/src/many-one.md). Stuck? `exercises/barrier/hint.md`.

use std::panic::{self, AssertUnwindSafe};
use std::thread;

use common::{Item, Message, Program, Settings};
use flume::{Receiver, Sender};

const PROGRAM: Program = Program {
    name: "barrier",
    about: "Exercise: many producers, one consumer, one sentinel",
    producers: 3,
    consumers: 1,
    items: 5,
};

use std::sync::atomic::{AtomicUsize, Ordering};

fn producer(id: usize, queue: Sender<Message>, working: &AtomicUsize, settings: &Settings) {
    let me = format!("Producer {id}");
    println!("{me}: Running");
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
    // The last producer to finish (or fail) says the items are over.
    if working.fetch_sub(1, Ordering::AcqRel) == 1 {
        let _ = queue.send(Message::Sentinel);
    }
    if let Err(panic) = made {
        panic::resume_unwind(panic);
    }
    println!("{me}: Done");
}

fn consumer(queue: Receiver<Message>, settings: &Settings) {
    println!("Consumer: Running");
    loop {
        // Only the sentinel ends the stream: if the channel closes first,
        // every producer has ended and none sent it.
        let message = queue.recv().expect("no producer sent the sentinel");
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

fn main() {
    let settings = Settings::from_command_line(&PROGRAM);
    let (sender, receiver) = match settings.capacity {
        Some(capacity) => flume::bounded(capacity),
        None => flume::unbounded(),
    };
    let working = AtomicUsize::new(settings.producers);
    thread::scope(|scope| {
        scope.spawn(|| consumer(receiver, &settings));
        for id in 0..settings.producers {
            let (sender, settings, working) = (sender.clone(), &settings, &working);
            scope.spawn(move || producer(id, sender, working, settings));
        }
        drop(sender);
    });
}
