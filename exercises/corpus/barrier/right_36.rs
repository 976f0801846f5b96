//! Right: a `Mutex<usize>` count of finished producers with a `Condvar`; producer 0, after its own items, waits until the count reaches `--producers`, then sends the only sentinel.
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
use std::sync::{Condvar, Mutex};

/// How many producers are done, and a way to wait for all of them.
struct Done {
    count: Mutex<usize>,
    changed: Condvar,
}

impl Done {
    fn one_more(&self) {
        *self.count.lock().unwrap_or_else(|e| e.into_inner()) += 1;
        self.changed.notify_all();
    }

    fn wait_for(&self, all: usize) {
        let count = self.count.lock().unwrap_or_else(|e| e.into_inner());
        let _all_done = self
            .changed
            .wait_while(count, |count| *count < all)
            .unwrap_or_else(|e| e.into_inner());
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
        count: Mutex::new(0),
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
