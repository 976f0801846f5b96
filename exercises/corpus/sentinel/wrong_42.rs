//! Wrong: main sends the sentinel right after spawning the producer, without joining it first: it can overtake the items.
use std::thread;

use common::{Item, Message, Program, Settings};
use flume::{Receiver, Sender};

const PROGRAM: Program = Program {
    name: "sentinel",
    about: "Exercise: one producer, one consumer, and the end of the items",
    producers: 1,
    consumers: 1,
    items: 10,
};

fn producer(queue: &Sender<Message>, settings: &Settings) {
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
    println!("Producer: Done");
}

fn consumer(queue: &Receiver<Message>, settings: &Settings) {
    println!("Consumer: Running");
    loop {
        match queue.recv().expect("the producer's sender lives in main") {
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
    thread::scope(|scope| {
        scope.spawn(|| consumer(&receiver, &settings));
        let producing = scope.spawn(|| producer(&sender, &settings));
        // "The producer is surely done by the time the consumer reads this."
        if producing.is_finished() || settings.items > 0 {
            let _ = sender.send(Message::Sentinel);
        }
    });
}
