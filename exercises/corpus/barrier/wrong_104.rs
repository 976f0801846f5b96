//! Wrong: producers count themselves done on an `AtomicUsize` and `notify_all` without taking the mutex that producer 0 waits with, so a notify that falls between producer 0's look at the count and its `wait` is lost and it (and the consumer) can wait for ever, rarely, most with many producers finishing at once.
//!
//! Exercise `barrier`: one sentinel, from one producer, once every producer
//! is done.

use std::panic::{self, AssertUnwindSafe};
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
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex};

/// How many producers are done, and a way to wait for all of them.
struct Done {
    count: AtomicUsize,
    lock: Mutex<()>,
    changed: Condvar,
}

impl Done {
    fn one_more(&self) {
        self.count.fetch_add(1, Ordering::AcqRel);
        self.changed.notify_all();
    }

    fn wait_for(&self, all: usize) {
        let mut guard = self.lock.lock().unwrap_or_else(|e| e.into_inner());
        while self.count.load(Ordering::Acquire) < all {
            guard = self.changed.wait(guard).unwrap_or_else(|e| e.into_inner());
        }
    }
}

fn producer(id: usize, queue: Sender<Message>, done: &Done, settings: &Settings) {
    let me = format!("Producer {id}");
    println!("{me}: Running");
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
    // Done, panicked or not: its items are all in the channel.
    done.one_more();
    if id == 0 {
        done.wait_for(settings.producers);
        let _ = queue.send(Message::Sentinel);
    }
    if let Err(panic) = made {
        panic::resume_unwind(panic);
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
    let done = Done {
        count: AtomicUsize::new(0),
        lock: Mutex::new(()),
        changed: Condvar::new(),
    };
    thread::scope(|scope| {
        scope.spawn(|| consumer(receiver, &settings));
        for id in 0..settings.producers {
            let (sender, done, settings) = (sender.clone(), &done, &settings);
            scope.spawn(move || producer(id, sender, done, settings));
        }
        drop(sender);
    });
}
