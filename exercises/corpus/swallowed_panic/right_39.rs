//! Right: an RAII guard owns the thread handles; when `main` ends it is dropped, joins every handle, and raises the first panic again with `resume_unwind` (exit 101).
//!
//! Exercise `swallowed_panic`: a consumer's panic that must not go unheard.

use std::thread;

use common::{Item, Message, Program, Settings};
use flume::{Receiver, Sender};

const PROGRAM: Program = Program {
    name: "swallowed_panic",
    about: "Exercise: a consumer's panic that must not go unheard",
    producers: 1,
    consumers: 1,
    items: 10,
};

fn producer(queue: Sender<Message>, settings: &Settings) {
    println!("Producer: Running");
    let mut rng = settings.rng(0);
    for i in 0..settings.items {
        let item = Item {
            i,
            value: rng.random(),
        };
        thread::sleep(settings.effort("Producer", item));
        if queue.send(Message::Item(item)).is_err() {
            break; // The consumer is gone.
        }
        println!(">producer added {item}");
    }
    let _ = queue.send(Message::Sentinel);
    println!("Producer: Done");
}

fn consumer(queue: Receiver<Message>, settings: &Settings) {
    println!("Consumer: Running");
    while let Ok(Message::Item(item)) = queue.recv() {
        thread::sleep(settings.effort("Consumer", item));
        println!(">consumer got {item}");
    }
    println!("Consumer: Done");
}

use std::panic;
use std::thread::JoinHandle;

/// Joins every thread it holds when it goes out of scope, then passes the
/// first panic on.
struct JoinAll(Vec<JoinHandle<()>>);

impl Drop for JoinAll {
    fn drop(&mut self) {
        let mut first = None;
        for thread in self.0.drain(..) {
            if let Err(panic) = thread.join() {
                first.get_or_insert(panic);
            }
        }
        if let Some(panic) = first {
            if !thread::panicking() {
                panic::resume_unwind(panic);
            }
        }
    }
}

fn main() {
    let settings = Settings::from_command_line(&PROGRAM);
    let (sender, receiver) = match settings.capacity {
        Some(capacity) => flume::bounded(capacity),
        None => flume::unbounded(),
    };
    let for_consumer = settings.clone();
    let for_producer = settings.clone();
    let _threads = JoinAll(vec![
        thread::spawn(move || consumer(receiver, &for_consumer)),
        thread::spawn(move || producer(sender, &for_producer)),
    ]);
}
