//! Wrong: consumers keep a count of those still running, raised and lowered with a load then a store; one that sees others left puts the sentinel back.
//!
//! The three consumers start together, and a load then a store is not one
//! atomic step: two can count themselves in with the same number, leaving
//! the count one short, so the second-to-last consumer keeps the sentinel
//! and the last waits for ever. Rare, but it hangs at any capacity.

use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

use common::{Item, Message, Program, Settings};
use flume::{Receiver, Sender};

const PROGRAM: Program = Program {
    name: "pass_it_on",
    about: "Exercise: one producer, many consumers, one sentinel",
    producers: 1,
    consumers: 3,
    items: 10,
};

fn producer(queue: Sender<Message>, settings: &Settings) {
    println!("Producer: Running");
    // Even if making the items panics, the sentinel goes out before the
    // panic is passed on: the consumers hold senders, so the channel never
    // closes by itself, and without it they would wait for ever.
    let made = panic::catch_unwind(AssertUnwindSafe(|| {
        let mut rng = settings.rng(0);
        for i in 0..settings.items {
            let item = Item {
                i,
                value: rng.random(),
            };
            thread::sleep(settings.effort("Producer", item));
            let _ = queue.send(Message::Item(item));
        }
    }));
    let _ = queue.send(Message::Sentinel);
    if let Err(panic) = made {
        panic::resume_unwind(panic);
    }
    println!("Producer: Done");
}

fn consumer(
    id: usize,
    queue: Receiver<Message>,
    requeue: Sender<Message>,
    running: &AtomicUsize,
    settings: &Settings,
) {
    let me = format!("Consumer {id}");
    println!("{me}: Running");
    let count = running.load(Ordering::Acquire);
    running.store(count + 1, Ordering::Release);
    while let Ok(message) = queue.recv() {
        match message {
            Message::Item(item) => {
                thread::sleep(settings.effort(&me, item));
                println!(">consumer {id} got {item}");
            }
            Message::Sentinel => break,
        }
    }
    let left = running.load(Ordering::Acquire);
    running.store(left - 1, Ordering::Release);
    // Put the sentinel back, unless this is the last consumer.
    if left > 1 {
        let _ = requeue.send(Message::Sentinel);
    }
    println!("{me}: Done");
}

fn main() {
    let settings = Settings::from_command_line(&PROGRAM);
    let (sender, receiver) = match settings.capacity {
        Some(capacity) => flume::bounded(capacity),
        None => flume::unbounded(),
    };
    let running = AtomicUsize::new(0);
    thread::scope(|scope| {
        for id in 0..settings.consumers {
            let (receiver, requeue) = (receiver.clone(), sender.clone());
            let (running, settings) = (&running, &settings);
            scope.spawn(move || consumer(id, receiver, requeue, running, settings));
        }
        drop(receiver);
        scope.spawn(|| producer(sender, &settings));
    });
}
