//! Right: an RAII guard decrements a Mutex<usize> count of working producers when dropped (also while unwinding), and the guard that brings it to zero sends the sentinel.
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

use std::sync::Mutex;

/// A producer's place in the count; dropping it, at the end or in a
/// panic, counts the producer out, and the last one out sends the sentinel.
struct Working<'a> {
    left: &'a Mutex<usize>,
    queue: Sender<Message>,
}

impl Drop for Working<'_> {
    fn drop(&mut self) {
        let mut left = self
            .left
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        *left -= 1;
        if *left == 0 {
            let _ = self.queue.send(Message::Sentinel);
        }
    }
}

fn producer(id: usize, queue: Sender<Message>, left: &Mutex<usize>, settings: &Settings) {
    let me = format!("Producer {id}");
    let guard = Working { left, queue };
    let queue = &guard.queue;
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
    let left = Mutex::new(settings.producers);
    thread::scope(|scope| {
        scope.spawn(|| consumer(receiver, &settings));
        for id in 0..settings.producers {
            let (sender, settings, left) = (sender.clone(), &settings, &left);
            scope.spawn(move || producer(id, sender, left, settings));
        }
        drop(sender);
    });
}
