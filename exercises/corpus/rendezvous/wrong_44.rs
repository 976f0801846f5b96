//! Wrong: both sides run at once, but `main` joins only the last handle of `[producer, consumer]` (`next_back()` on a lazy `map(join)`), so the producer is never joined: its panic (`--panic-at producer:3`) is lost (exit 0), and its last line can be cut off.
//!
//! Exercise `rendezvous` (learner's answer).

use std::thread;

use common::{Item, Message, Program, Settings};
use flume::{Receiver, Sender};

const PROGRAM: Program = Program {
    name: "rendezvous",
    about: "Exercise: a producer and a consumer on a bounded buffer",
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
            break;
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

fn main() {
    let settings = Settings::from_command_line(&PROGRAM);
    let (sender, receiver) = match settings.capacity {
        Some(capacity) => flume::bounded(capacity),
        None => flume::unbounded(),
    };
    let for_producer = settings.clone();
    let producer = thread::spawn(move || producer(sender, &for_producer));
    let for_consumer = settings.clone();
    let consumer = thread::spawn(move || consumer(receiver, &for_consumer));
    // The consumer ends last, after the sentinel: its result is the run's.
    let last = [producer, consumer]
        .into_iter()
        .map(thread::JoinHandle::join)
        .next_back();
    if let Some(Err(panic)) = last {
        panic::resume_unwind(panic);
    }
}
