//! Wrong: a Drop guard in each producer counts it done (fetch_add) and unparks producer 0; producer 0 parks in a loop until the count (load) says all are done, then sends the one sentinel; but with no catch_unwind, when producer 0 panics it never sends the sentinel, and the consumer finds the channel closed.
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
static DONE: AtomicUsize = AtomicUsize::new(0);
static ZERO: std::sync::OnceLock<thread::Thread> = std::sync::OnceLock::new();
struct Finished;
impl Drop for Finished {
    fn drop(&mut self) {
        DONE.fetch_add(1, Ordering::AcqRel);
        // main sets ZERO right after starting producer 0, before it starts any other.
        if let Some(zero) = ZERO.get() {
            zero.unpark();
        }
    }
}
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

fn producer(id: usize, queue: Sender<Message>, settings: &Settings) {
    let finished = Finished;
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
    drop(finished);
    if id == 0 {
        while DONE.load(Ordering::Acquire) < settings.producers {
            thread::park();
        }
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
    thread::scope(|scope| {
        scope.spawn(|| consumer(receiver, &settings));
        for id in 0..settings.producers {
            let (sender, settings) = (sender.clone(), &settings);
            let handle = scope.spawn(move || producer(id, sender, settings));
            if id == 0 {
                let _ = ZERO.set(handle.thread().clone());
            }
        }
        drop(sender);
    });
}
