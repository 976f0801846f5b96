//! Wrong: each producer adds itself to a done counter, then loads the counter again to see whether it was the last.
//!
//! The add and the check are two steps: when the last two producers finish
//! together, both can load the full count, and both send a sentinel. The
//! rule of one sentinel, sent by one producer, breaks in those runs only.

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
    done.fetch_add(1, Ordering::AcqRel);
    if done.load(Ordering::Acquire) == settings.producers {
        // Everyone is done: this producer was the last.
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
