//! Wrong: producer 0 waits on a Condvar for the others with wait_timeout_while(13 s) and sends the sentinel when the wait ends, whether or not every producer is done; a producer slower than 13 s on an item has its remaining items lost.
//! Exercise `barrier`: three producers, one consumer, and a sentinel sent
//! too early.
//!
//! Producer 0 sends the sentinel as soon as its own items are out. But the
//! other producers may still be making theirs: the consumer stops at the
//! sentinel, and their items are never processed. It passes some runs and
//! fails others. Send one sentinel, from one producer, once every producer
//! is done.
//!
//! Grade it: `cargo xtask exercise barrier`. Chapter: many producers, one
//! consumer (book/src/many-one.md). Stuck? `exercises/barrier/hint.md`.

use std::sync::{Condvar, Mutex};
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

fn producer(
    id: usize,
    queue: Sender<Message>,
    done: &(Mutex<usize>, Condvar),
    settings: &Settings,
) {
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
    let (count, changed) = done;
    let mut finished = count.lock().unwrap();
    *finished += 1;
    changed.notify_all();
    if id == 0 {
        let (finished, _) = changed
            .wait_timeout_while(finished, Duration::from_secs(13), |n| {
                *n < settings.producers
            })
            .unwrap();
        drop(finished);
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
    let done = (Mutex::new(0usize), Condvar::new());
    thread::scope(|scope| {
        scope.spawn(|| consumer(receiver, &settings));
        for id in 0..settings.producers {
            let (sender, settings, done) = (sender.clone(), &settings, &done);
            scope.spawn(move || producer(id, sender, done, settings));
        }
        drop(sender);
    });
}
