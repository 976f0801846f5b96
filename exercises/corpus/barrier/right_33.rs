//! Right: each producer counts itself done under a Mutex and notifies a Condvar; producer 0 waits on the Condvar until all are done, then sends the one sentinel.
//! Exercise `barrier`: three producers, one consumer, and a sentinel sent
//! too early.
//!
//! Producer 0 sends the sentinel as soon as its own items are out. But the
//! other producers may still be making theirs: the consumer stops at the
//! sentinel, and their items are never processed. It passes some runs and
//! fails others. Send one sentinel, from one producer, once every producer
//! is done. A producer that panics (`--panic-at producer-1:2`) is done
//! too: the others' items must still be processed, and the program end
//! with the panic's exit code, 101, not wait for it for ever.
//!
//! Grade it: `cargo xtask exercise barrier`. Chapter: many producers, one
//! consumer (book/src/many-one.md). Stuck? `exercises/barrier/hint.md`.

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

struct Finish {
    done: Mutex<usize>,
    changed: Condvar,
}

impl Finish {
    fn arrive(&self) {
        let mut done = self.done.lock().unwrap();
        *done += 1;
        self.changed.notify_all();
    }

    fn wait_for(&self, producers: usize) {
        let done = self.done.lock().unwrap();
        let _done = self
            .changed
            .wait_while(done, |done| *done < producers)
            .unwrap();
    }
}

fn producer(id: usize, queue: Sender<Message>, finish: &Finish, settings: &Settings) {
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
    finish.arrive();
    if id == 0 {
        finish.wait_for(settings.producers);
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
    let finish = Finish {
        done: Mutex::new(0),
        changed: Condvar::new(),
    };
    thread::scope(|scope| {
        scope.spawn(|| consumer(receiver, &settings));
        for id in 0..settings.producers {
            let (sender, settings, finish) = (sender.clone(), &settings, &finish);
            scope.spawn(move || producer(id, sender, finish, settings));
        }
        drop(sender);
    });
}
