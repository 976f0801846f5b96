//! Right: producer and consumer each run on a `thread::spawn` thread that owns a copy of the settings; `main` joins both and then raises the first panic again, if any.
//!
//! Exercise `rendezvous`: a producer and a consumer on a bounded buffer.

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
    let for_consumer = settings.clone();
    let consumer = thread::spawn(move || consumer(receiver, &for_consumer));
    let for_producer = settings.clone();
    let producer = thread::spawn(move || producer(sender, &for_producer));
    // Join both before passing a panic on: none is left behind.
    let results = [consumer.join(), producer.join()];
    if let Some(panic) = results.into_iter().find_map(Result::err) {
        panic::resume_unwind(panic);
    }
}
