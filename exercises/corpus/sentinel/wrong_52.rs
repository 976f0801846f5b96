//! Wrong: the consumer stops after counting `settings.items` items and never reads the sentinel, so at `--capacity 0` the producer's sentinel `send` waits for ever (the receiver lives on in `main`).
//!
//! Exercise `sentinel` (learner's answer): the producer sends a sentinel
//! after its last item; the consumer knows how many items come.

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
        queue
            .send(Message::Item(item))
            .expect("the consumer is there");
        println!(">producer added {item}");
    }
    queue
        .send(Message::Sentinel)
        .expect("the consumer is there");
    println!("Producer: Done");
}

fn consumer(queue: &Receiver<Message>, settings: &Settings) {
    println!("Consumer: Running");
    // The consumer knows how many items there are: no need to wait for the
    // sentinel once the last one is in.
    let mut left = settings.items;
    while left > 0 {
        match queue.recv().expect("the producer's sender lives in main") {
            Message::Item(item) => {
                thread::sleep(settings.effort("Consumer", item));
                println!(">consumer got {item}");
                left -= 1;
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
        scope.spawn(|| producer(&sender, &settings));
    });
}
