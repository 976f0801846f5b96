//! Wrong: the sentinel is sent inside the item loop, at the last item, so with `--items 0` the loop never runs, no sentinel is sent, and the consumer waits for ever.
//!
//! Exercise `sentinel` (learner's answer).

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

/// Whether `i` is the producer's last item.
fn is_last(i: usize, settings: &Settings) -> bool {
    i + 1 == settings.items
}

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
        if is_last(i, settings) {
            // The last item is out: tell the consumer.
            queue
                .send(Message::Sentinel)
                .expect("the consumer is there");
        }
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
        scope.spawn(|| producer(&sender, &settings));
    });
}
