//! Right: the item loop is a helper that takes the `Receiver` by value and returns whether it read the sentinel, so the receiver is already dropped when the consumer passes the sentinel on.
//!
//! Exercise `pass_it_on`: one sentinel, passed from consumer to consumer.

use std::panic::{self, AssertUnwindSafe};
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

/// Processes items until the sentinel or the channel's end; owns `queue`,
/// so the receiver is gone once it returns. True if it read the sentinel.
fn process(me: &str, id: usize, queue: Receiver<Message>, settings: &Settings) -> bool {
    for message in queue.iter() {
        match message {
            Message::Item(item) => {
                thread::sleep(settings.effort(me, item));
                println!(">consumer {id} got {item}");
            }
            Message::Sentinel => return true,
        }
    }
    false
}

fn consumer(id: usize, queue: Receiver<Message>, requeue: Sender<Message>, settings: &Settings) {
    let me = format!("Consumer {id}");
    println!("{me}: Running");
    if process(&me, id, queue, settings) {
        // This consumer no longer receives: if it was the last, `send`
        // fails at once instead of waiting for a reader.
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
    thread::scope(|scope| {
        for id in 0..settings.consumers {
            let (receiver, requeue) = (receiver.clone(), sender.clone());
            let settings = &settings;
            scope.spawn(move || consumer(id, receiver, requeue, settings));
        }
        drop(receiver);
        scope.spawn(|| producer(sender, &settings));
    });
}
