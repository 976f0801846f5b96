//! Wrong: the consumer polls with try_recv and, on Empty, stops if the producer's done flag is up; if the consumer's try_recv finds the buffer empty and the producer then sends its last item and raises the flag before the consumer reads the flag, the last item is never consumed.
//! Exercise `sentinel`: one producer, one consumer, and a consumer that
//! never learns the end.
//!
//! Both threads borrow the channel's ends from `main`, so the sender is
//! never dropped while the consumer waits: the channel cannot tell it that
//! no more items will come. Run it: the items go through, then it hangs.
//! Make the consumer stop after the last item, as the tutorial does.
//!
//! Grade it: `cargo xtask exercise sentinel`. Chapter: one producer, one
//! consumer (book/src/one-one.md). Stuck? `exercises/sentinel/hint.md`.

use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;

use common::{Item, Message, Program, Settings};
use flume::{Receiver, Sender, TryRecvError};

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
        queue
            .send(Message::Item(item))
            .expect("the consumer is there");
        println!(">producer added {item}");
    }
    done.store(true, Ordering::Release);
    println!("Producer: Done");
}

/// The next message, or `None` once the producer is done and nothing is waiting.
fn take(queue: &Receiver<Message>, done: &AtomicBool) -> Option<Message> {
    loop {
        match queue.try_recv() {
            Ok(message) => return Some(message),
            Err(TryRecvError::Disconnected) => return None,
            Err(TryRecvError::Empty) if done.load(Ordering::Acquire) => return None,
            Err(TryRecvError::Empty) => thread::yield_now(),
        }
    }
}

fn consumer(queue: &Receiver<Message>, done: &AtomicBool, settings: &Settings) {
    println!("Consumer: Running");
    while let Some(message) = take(queue, done) {
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
    let done = AtomicBool::new(false);
    thread::scope(|scope| {
        scope.spawn(|| consumer(&receiver, &done, &settings));
        scope.spawn(|| producer(&sender, &done, &settings));
    });
}
