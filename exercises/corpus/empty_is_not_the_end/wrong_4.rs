//! Wrong: the producer raises a `done` flag as it makes its last item, just before sending it, and the consumer polls with `try_recv` until it finds the buffer empty and the flag up.
//!
//! The flag goes up before the last send: a consumer that polls in between
//! sees an empty buffer and the flag, and stops without the last item. The
//! window is short, but the consumer polls in a tight loop: it passes most
//! runs with a buffer and loses the last item in most fast runs at
//! --capacity 0.

use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;

use common::{Item, Message, Program, Settings};
use flume::{Receiver, Sender, TryRecvError};

const PROGRAM: Program = Program {
    name: "empty_is_not_the_end",
    about: "Exercise: a consumer that must wait for items",
    producers: 1,
    consumers: 1,
    items: 10,
};

fn producer(queue: Sender<Message>, done: &AtomicBool, settings: &Settings) {
    println!("Producer: Running");
    let mut rng = settings.rng(0);
    for i in 0..settings.items {
        let item = Item {
            i,
            value: rng.random(),
        };
        thread::sleep(settings.effort("Producer", item));
        if i + 1 == settings.items {
            done.store(true, Ordering::Release); // This is the last one.
        }
        if queue.send(Message::Item(item)).is_err() {
            break; // The consumer is gone.
        }
        println!(">producer added {item}");
    }
    done.store(true, Ordering::Release);
    let _ = queue.send(Message::Sentinel);
    println!("Producer: Done");
}

fn consumer(queue: Receiver<Message>, done: &AtomicBool, settings: &Settings) {
    println!("Consumer: Running");
    loop {
        match queue.try_recv() {
            Ok(Message::Item(item)) => {
                thread::sleep(settings.effort("Consumer", item));
                println!(">consumer got {item}");
            }
            Ok(Message::Sentinel) | Err(TryRecvError::Disconnected) => break,
            // Empty: the end only if the producer says it is done.
            Err(TryRecvError::Empty) if done.load(Ordering::Acquire) => break,
            Err(TryRecvError::Empty) => thread::yield_now(),
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
        scope.spawn(|| consumer(receiver, &done, &settings));
        scope.spawn(|| producer(sender, &done, &settings));
    });
}
