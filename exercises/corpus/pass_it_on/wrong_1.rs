//! Wrong: puts the sentinel back with a 50 ms `send_timeout`, so that the last consumer does not wait for ever at capacity 0.
//!
//! At capacity 0 the sentinel is only handed to a consumer already waiting in
//! `recv`: one still busy with an item for more than 50 ms never gets it,
//! and waits for ever. Quick runs pass, slow ones hang.

use std::panic::{self, AssertUnwindSafe};
use std::thread;
use std::time::Duration;

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
    // Put the sentinel back for the next consumer; don't wait for ever.
    let _ = requeue.send_timeout(Message::Sentinel, Duration::from_millis(50));
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
