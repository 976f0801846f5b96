//! Wrong: the consumer ignores the early sentinel and stops when no message comes for 50 ms.
//!
//! A quiet buffer is not the end: a producer still working on an item that
//! takes longer than 50 ms sends it after the consumer has stopped. It
//! passes quick runs (small --time-scale) and loses items at the default.

use std::panic::{self, AssertUnwindSafe};
use std::thread;
use std::time::Duration;

use common::{Item, Message, Program, Settings};
use flume::{Receiver, Sender};

const PROGRAM: Program = Program {
    name: "barrier",
    about: "Exercise: many producers, one consumer, one sentinel",
    producers: 3,
    consumers: 1,
    items: 5,
};

fn producer(id: usize, queue: Sender<Message>, settings: &Settings) {
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
    if id == 0 {
        let _ = queue.send(Message::Sentinel);
    }
    if let Err(panic) = made {
        panic::resume_unwind(panic);
    }
    println!("{me}: Done");
}

fn consumer(queue: Receiver<Message>, settings: &Settings) {
    println!("Consumer: Running");
    while let Ok(message) = queue.recv_timeout(Duration::from_millis(50)) {
        match message {
            Message::Item(item) => {
                thread::sleep(settings.effort("Consumer", item));
                println!(">consumer got {item}");
            }
            // Producer 0's sentinel may come early: skip it.
            Message::Sentinel => continue,
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
    thread::scope(|scope| {
        scope.spawn(|| consumer(receiver, &settings));
        for id in 0..settings.producers {
            let (sender, settings) = (sender.clone(), &settings);
            scope.spawn(move || producer(id, sender, settings));
        }
        drop(sender);
    });
}
