//! Right: an atomic countdown of producers, decremented by each after its item loop (also after a caught panic); the one that brings it to zero is the last done and sends the only sentinel.
//!
//! Exercise `barrier`: one sentinel, from one producer, once every producer
//! is done.

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

fn producer(id: usize, queue: Sender<Message>, left: &AtomicUsize, settings: &Settings) {
    let me = format!("Producer {id}");
    println!("{me}: Running");
    // A producer that panics still comes to the sentinel's place before
    // it passes the panic on: no other thread may wait for it for ever.
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
    // Every item this producer sent is in the channel; the producer that
    // counts the last one out knows every other producer's are too.
    if left.fetch_sub(1, Ordering::AcqRel) == 1 {
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
    let left = AtomicUsize::new(settings.producers);
    thread::scope(|scope| {
        scope.spawn(|| consumer(receiver, &settings));
        for id in 0..settings.producers {
            let (sender, left, settings) = (sender.clone(), &left, &settings);
            scope.spawn(move || producer(id, sender, left, settings));
        }
        drop(sender);
    });
}
