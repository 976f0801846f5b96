//! Wrong: the other producers count themselves done with a load then a store, and producer 0 waits for the count.
//!
//! Two producers that finish at the same moment can both load the same count
//! and store the same next value: one increment is lost, producer 0 spins
//! for ever waiting for a count that never comes, and the program hangs.

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
    if id == 0 {
        // Wait until every other producer has said it is done.
        while done.load(Ordering::Acquire) < settings.producers - 1 {
            thread::yield_now();
        }
        let _ = queue.send(Message::Sentinel);
    } else {
        let count = done.load(Ordering::Acquire);
        done.store(count + 1, Ordering::Release);
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
