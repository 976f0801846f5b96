//! Wrong: the consumer waits with `recv` as it should, but `main` runs it inside `catch_unwind` and drops the result, so with `--panic-at consumer:3` the panic is swallowed, the producer stops, and the program exits 0 with items never processed.
//!
//! Exercise `empty_is_not_the_end` (learner's answer).

use std::thread;

use common::{Item, Message, Program, Settings};
use flume::{Receiver, Sender};

const PROGRAM: Program = Program {
    name: "empty_is_not_the_end",
    about: "Exercise: a consumer that must wait for items",
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
use std::panic::{self, AssertUnwindSafe};

fn consumer(queue: Receiver<Message>, settings: &Settings) {
    println!("Consumer: Running");
    while let Ok(message) = queue.recv() {
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

/// Runs a thread's body; a panic in it is reported by the panic hook
/// already, so the thread just ends.
fn contained(body: impl FnOnce()) {
    let _ = panic::catch_unwind(AssertUnwindSafe(body));
}

fn main() {
    let settings = Settings::from_command_line(&PROGRAM);
    let (sender, receiver) = match settings.capacity {
        Some(capacity) => flume::bounded(capacity),
        None => flume::unbounded(),
    };
    thread::scope(|scope| {
        scope.spawn(|| contained(|| consumer(receiver, &settings)));
        scope.spawn(|| contained(|| producer(sender, &settings)));
    });
}
