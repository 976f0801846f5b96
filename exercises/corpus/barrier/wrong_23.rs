//! Wrong: producer 0 waits on a condvar until an atomic count of finished producers is full, reading the count before it takes the lock and waits, while the others bump it and notify without the lock: if the last one does so between producer 0's load and its wait, the wakeup is lost and the program hangs.
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
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex};
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
/// How producer 0 learns that the others are done.
struct Finish {
    others_done: AtomicUsize,
    lock: Mutex<()>,
    all_done: Condvar,
}

/// Makes and sends one producer's items.
fn make_items(id: usize, queue: &Sender<Message>, settings: &Settings) {
    let me = format!("Producer {id}");
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
}

/// Producers 1 and up: make the items, then tell producer 0.
fn producer(id: usize, queue: Sender<Message>, finish: &Finish, settings: &Settings) {
    println!("Producer {id}: Running");
    make_items(id, &queue, settings);
    finish.others_done.fetch_add(1, Ordering::Release);
    finish.all_done.notify_all();
    println!("Producer {id}: Done");
}

/// Producer 0: makes its items, waits for the others, sends the sentinel.
fn last_word(queue: Sender<Message>, finish: &Finish, settings: &Settings) {
    println!("Producer 0: Running");
    make_items(0, &queue, settings);
    while finish.others_done.load(Ordering::Acquire) < settings.producers - 1 {
        let guard = finish.lock.lock().unwrap();
        drop(finish.all_done.wait(guard).unwrap());
    }
    let _ = queue.send(Message::Sentinel);
    println!("Producer 0: Done");
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
    let finish = Finish {
        others_done: AtomicUsize::new(0),
        lock: Mutex::new(()),
        all_done: Condvar::new(),
    };
    thread::scope(|scope| {
        scope.spawn(|| consumer(receiver, &settings));
        for id in 1..settings.producers {
            let (sender, finish, settings) = (sender.clone(), &finish, &settings);
            scope.spawn(move || producer(id, sender, finish, settings));
        }
        scope.spawn(|| last_word(sender, &finish, &settings));
    });
}
