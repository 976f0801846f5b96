//! Wrong: the producer raises a `done` flag as it makes its last item, just before sending it, and the consumer stops when the flag is up and the buffer is empty.
//!
//! The flag goes up before the last send: a consumer that checks in between
//! sees an empty buffer and the flag, and stops without the last item. The
//! window is short, so this loses the item only in rare runs.

use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::Duration;

use common::{Item, Message, Program, Settings};
use flume::{Receiver, RecvTimeoutError, Sender};

const PROGRAM: Program = Program {
    name: "sentinel",
    about: "Exercise: one producer, one consumer, and the end of the items",
    producers: 1,
    consumers: 1,
    items: 10,
};

fn producer(queue: &Sender<Message>, done: &AtomicBool, settings: &Settings) {
    println!("Producer: Running");
    let mut rng = settings.rng(0);
    for i in 0..settings.items {
        let item = Item {
            i,
            value: rng.random(),
        };
        thread::sleep(settings.effort("Producer", item));
        if i + 1 == settings.items {
            done.store(true, Ordering::Release); // The last one.
        }
        queue
            .send(Message::Item(item))
            .expect("the consumer is there");
        println!(">producer added {item}");
    }
    println!("Producer: Done");
}

fn consumer(queue: &Receiver<Message>, done: &AtomicBool, settings: &Settings) {
    println!("Consumer: Running");
    while !(done.load(Ordering::Acquire) && queue.is_empty()) {
        match queue.recv_timeout(Duration::from_millis(1)) {
            Ok(Message::Item(item)) => {
                thread::sleep(settings.effort("Consumer", item));
                println!(">consumer got {item}");
            }
            Ok(Message::Sentinel) => break,
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => break,
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
    let done = AtomicBool::new(false);
    thread::scope(|scope| {
        scope.spawn(|| consumer(&receiver, &done, &settings));
        scope.spawn(|| producer(&sender, &done, &settings));
    });
}
