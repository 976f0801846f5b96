//! Right: a std::sync::Barrier makes main (the producer) wait until the consumer thread is running; consumer is a plain spawn with an Arc'd Settings, joined.
use std::sync::{Arc, Barrier};

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
fn main() {
    let settings = Settings::from_command_line(&PROGRAM);
    let (sender, receiver) = match settings.capacity {
        Some(capacity) => flume::bounded(capacity),
        None => flume::unbounded(),
    };
    let settings = Arc::new(settings);
    let started = Arc::new(Barrier::new(2));
    let consumer = {
        let (settings, started) = (Arc::clone(&settings), Arc::clone(&started));
        thread::spawn(move || {
            started.wait();
            consumer(receiver, &settings);
        })
    };
    started.wait();
    producer(sender, &settings);
    if let Err(panic) = consumer.join() {
        std::panic::resume_unwind(panic);
    }
}
