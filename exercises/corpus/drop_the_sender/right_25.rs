//! Right: main's sender sits in a Mutex<Option<Sender>>; an AtomicUsize counts producers done, and the last takes and drops main's sender.
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

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
/// Makes its items and sends them. Returning drops `queue`, this
/// producer's `Sender`: that is its whole shutdown.
fn producer(id: usize, queue: Sender<Item>, settings: &Settings) {
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
    println!("{me}: Done");
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
    let spare = Mutex::new(Some(sender.clone()));
    let done = AtomicUsize::new(0);
    thread::scope(|scope| {
        for id in 0..settings.consumers {
            let (receiver, settings) = (receiver.clone(), &settings);
            scope.spawn(move || consumer(id, receiver, settings));
        }
        drop(receiver);
        for id in 0..settings.producers {
            let (sender, settings, spare, done) = (sender.clone(), &settings, &spare, &done);
            scope.spawn(move || {
                // Counts itself done even if it panics (the closure's guard).
                struct Done<'a>(&'a AtomicUsize, &'a Mutex<Option<Sender<Item>>>, usize);
                impl Drop for Done<'_> {
                    fn drop(&mut self) {
                        if self.0.fetch_add(1, Ordering::AcqRel) + 1 == self.2 {
                            let mut spare = self.1.lock().unwrap_or_else(|e| e.into_inner());
                            drop(spare.take());
                        }
                    }
                }
                let _done = Done(done, spare, settings.producers);
                producer(id, sender, settings);
            });
        }
        drop(sender);
    });
}
