//! Wrong: each producer adds itself to an atomic counter in one fetch_add, and the one that makes it reach the number of producers sends the sentinel; but with no catch_unwind a producer that panics never counts itself done, so no sentinel is sent and the consumer finds the channel closed (`--panic-at producer-1:2`).
//!
//! fetch_add reads and writes in one indivisible step, so exactly one
//! producer sees the count reach settings.producers, and only after every
//! other producer has sent its last item: one sentinel, last in the buffer.

use std::sync::atomic::{AtomicUsize, Ordering};
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

fn producer(id: usize, queue: Sender<Message>, done: &AtomicUsize, settings: &Settings) {
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
    // The producer that brings the count to the total is the last one.
    if done.fetch_add(1, Ordering::AcqRel) + 1 == settings.producers {
        let _ = queue.send(Message::Sentinel);
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
    let done = AtomicUsize::new(0);
    thread::scope(|scope| {
        scope.spawn(|| consumer(receiver, &settings));
        for id in 0..settings.producers {
            let (sender, done, settings) = (sender.clone(), &done, &settings);
            scope.spawn(move || producer(id, sender, done, settings));
        }
        drop(sender);
    });
}
