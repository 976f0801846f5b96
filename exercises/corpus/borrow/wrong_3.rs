//! Wrong: transmutes the borrow of `settings` to `&'static Settings` to satisfy `thread::spawn`.
//!
//! It compiles, and runs while nothing panics, but it is unsound: if the
//! producer panics, `expect` unwinds `main`, which drops `settings` while the
//! consumer thread may still read it (a use after free). The compiler's
//! rule was right; a scope is the safe way to borrow. (The exercise's text,
//! as updated while this corpus was written, also forbids `unsafe`.)

use std::thread;

use common::{Item, Message, Program, Settings};
use flume::{Receiver, Sender};

const PROGRAM: Program = Program {
    name: "borrow",
    about: "Exercise: threads that borrow what main owns",
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

fn main() {
    let settings = Settings::from_command_line(&PROGRAM);
    let (sender, receiver) = match settings.capacity {
        Some(capacity) => flume::bounded(capacity),
        None => flume::unbounded(),
    };
    // Both threads are joined below, before `settings` goes away.
    let shared: &'static Settings = unsafe { std::mem::transmute(&settings) };
    let consumer = thread::spawn(move || consumer(receiver, shared));
    let producer = thread::spawn(move || producer(sender, shared));
    producer.join().expect("the producer");
    consumer.join().expect("the consumer");
}
