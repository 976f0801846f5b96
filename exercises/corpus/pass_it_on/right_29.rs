//! Right: after its loop a consumer calls a helper that drops its receiver and then puts the sentinel back (the last one's send fails at once, as no receiver is left).
//! Exercise `pass_it_on`: one producer, three consumers, and one sentinel.
//!
//! The producer sends one sentinel after its items. The consumer that reads
//! it stops; the other two wait for ever (every consumer holds a sender, to
//! put the sentinel back, so the channel never closes). Make every consumer
//! stop, with the one sentinel the producer sends: leave the producer as
//! it is (it sends the sentinel even when it panics). A consumer that
//! panics (`--panic-at consumer:2`) must not stop the others either.
//!
//! Grade it: `cargo xtask exercise pass_it_on`. Chapter: one producer, many
//! consumers (book/src/one-many.md). Stuck? `exercises/pass_it_on/hint.md`.

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

/// Puts the sentinel back for the next consumer, after letting go of this
/// consumer's receiver: the last consumer's send then fails at once
/// instead of waiting for a reader that will never come.
fn pass_on(queue: Receiver<Message>, requeue: Sender<Message>) {
    drop(queue);
    let _ = requeue.send(Message::Sentinel);
}

fn consumer(id: usize, queue: Receiver<Message>, requeue: Sender<Message>, settings: &Settings) {
    let me = format!("Consumer {id}");
    println!("{me}: Running");
    while let Ok(message) = queue.recv() {
        match message {
            Message::Item(item) => {
                thread::sleep(settings.effort(&me, item));
                println!(">consumer {id} got {item}");
            }
            Message::Sentinel => break,
        }
    }
    pass_on(queue, requeue);
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
