//! Wrong: producers ring the Condvar before they count themselves finished; the janitor holding main's sender can wake at the last ring, lock before the last increment, see one short, and wait again for a ring that never comes, so the channel never closes.
//!
//! Exercise `drop_the_sender`: three producers, five consumers, and no
//! sentinel at all: a consumer's loop ends when the channel is empty and
//! every sender has been dropped.
//!
//! Each producer drops its sender when it ends, yet the consumers wait for
//! ever once the items are done. Find the sender that is still alive, and
//! end it, without adding a sentinel or changing the consumers.
//!
//! Grade it: `cargo xtask exercise drop_the_sender`. Chapter: shutdown by
//! disconnection (book/src/disconnect.md). Stuck?
//! `exercises/drop_the_sender/hint.md`.

use std::sync::{Condvar, Mutex};
use std::thread;

use common::{Item, Program, Settings};
use flume::{Receiver, Sender};

const PROGRAM: Program = Program {
    name: "drop_the_sender",
    about: "Exercise: the end of the items without a sentinel",
    producers: 3,
    consumers: 5,
    items: 10,
};
/// Producers that have finished, and a bell the janitor listens to.
struct Finished {
    count: Mutex<usize>,
    bell: Condvar,
}

/// Makes its items and sends them. Returning drops `queue`, this
/// producer's `Sender`; it also tells the janitor it has finished.
fn producer(id: usize, queue: Sender<Item>, finished: &Finished, settings: &Settings) {
    let me = format!("Producer {id}");
    println!("{me}: Running");
    let mut rng = settings.rng(id);
    for i in 0..settings.items {
        let item = Item {
            i,
            value: rng.random(),
        };
        thread::sleep(settings.effort(&me, item));
        if queue.send(item).is_err() {
            break; // Every consumer is gone.
        }
    }
    finished.bell.notify_all();
    *finished.count.lock().unwrap() += 1;
    println!("{me}: Done");
}

/// Holds `main`'s sender until every producer has finished, then drops it.
fn janitor(sender: Sender<Item>, finished: &Finished, producers: usize) {
    let mut count = finished.count.lock().unwrap();
    while *count < producers {
        count = finished.bell.wait(count).unwrap();
    }
    drop(sender);
}
/// Processes items until the channel is empty and disconnected.
fn consumer(id: usize, queue: Receiver<Item>, settings: &Settings) {
    let me = format!("Consumer {id}");
    println!("{me}: Running");
    // The loop waits while the channel is empty, and ends once it is empty
    // and every sender has been dropped.
    for item in queue {
        thread::sleep(settings.effort(&me, item));
        println!(">consumer {id} got {item}");
    }
    println!("{me}: Done");
}
fn main() {
    let settings = Settings::from_command_line(&PROGRAM);
    let (sender, receiver) = match settings.capacity {
        Some(capacity) => flume::bounded(capacity),
        None => flume::unbounded(),
    };
    let finished = Finished {
        count: Mutex::new(0),
        bell: Condvar::new(),
    };
    thread::scope(|scope| {
        for id in 0..settings.consumers {
            let (receiver, settings) = (receiver.clone(), &settings);
            scope.spawn(move || consumer(id, receiver, settings));
        }
        for id in 0..settings.producers {
            let (sender, settings, finished) = (sender.clone(), &settings, &finished);
            scope.spawn(move || producer(id, sender, finished, settings));
        }
        let (finished, producers) = (&finished, settings.producers);
        scope.spawn(move || janitor(sender, finished, producers));
        drop(receiver);
    });
}
