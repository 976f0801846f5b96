//! Wrong: producer 0 waits on a Condvar for the others to report done, but with wait_timeout_while(40 s) and sends the sentinel anyway when it times out, so a producer that spends more than 40 s on an item (--stall producer:3:45) has its later items arrive after the sentinel and lost.
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

/// No producer should need longer than this for the rest of its items.
const GRACE: Duration = Duration::from_secs(40);

struct Finish {
    done: Mutex<usize>,
    all_done: Condvar,
}

impl Finish {
    fn arrive(&self) {
        *self.done.lock().unwrap() += 1;
        self.all_done.notify_all();
    }

    fn wait_for(&self, producers: usize) {
        let done = self.done.lock().unwrap();
        let _ = self
            .all_done
            .wait_timeout_while(done, GRACE, |done| *done < producers)
            .unwrap();
    }
}

fn producer(id: usize, queue: Sender<Message>, finish: &Finish, settings: &Settings) {
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
    finish.arrive();
    if id == 0 {
        finish.wait_for(settings.producers);
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
    let finish = Finish {
        done: Mutex::new(0),
        all_done: Condvar::new(),
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
