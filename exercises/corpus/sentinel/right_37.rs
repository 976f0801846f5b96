//! Right: `main` joins the producer's scoped thread, then sends the sentinel itself (after the last item, whether the producer returned or panicked), then passes on any panic.
//!
//! Exercise `sentinel`: one producer, one consumer, and a sentinel after
//! the last item.

use std::panic;
use std::thread;

use common::{Item, Message, Program, Settings};
use flume::{Receiver, Sender};

const PROGRAM: Program = Program {
    name: "sentinel",
    about: "Exercise: one producer, one consumer, and the end of the items",
    producers: 1,
    consumers: 1,
    items: 10,
};

fn producer(queue: &Sender<Message>, settings: &Settings) {
    println!("Producer: Running");
    let mut rng = settings.rng(0);
    for i in 0..settings.items {
        let item = Item {
            i,
            value: rng.random(),
        };
        thread::sleep(settings.effort("Producer", item));
        queue
            .send(Message::Item(item))
            .expect("the consumer is there");
        println!(">producer added {item}");
    }
    println!("Producer: Done");
}

fn consumer(queue: &Receiver<Message>, settings: &Settings) {
    println!("Consumer: Running");
    loop {
        match queue.recv().expect("the producer's sender lives in main") {
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
    thread::scope(|scope| {
        // The consumer's thread owns the receiver: if it dies, the
        // producer's `send` fails instead of waiting for room.
        scope.spawn(|| {
            let receiver = receiver;
            consumer(&receiver, &settings)
        });
        let made = scope.spawn(|| producer(&sender, &settings)).join();
        // Every item the producer made is in the channel now: the sentinel
        // goes behind them.
        let _ = sender.send(Message::Sentinel);
        if let Err(panic) = made {
            panic::resume_unwind(panic);
        }
    });
}
