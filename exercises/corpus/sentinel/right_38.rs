//! Right: `main` joins the producer inside the scope and then sends the one sentinel itself, through a helper.
//!
//! The producer is unchanged; the sentinel goes out only once the producer's
//! thread has ended, so it is after every item, and a failed send is not hidden.
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
    println!("Producer: Done");
}

/// Tells the consumer that no more items will come.
fn end_of_stream(queue: &Sender<Message>) {
    queue
        .send(Message::Sentinel)
        .expect("the consumer waits for the sentinel");
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
        let producer = scope.spawn(|| producer(&sender, &settings));
        producer.join().expect("the producer");
        // Every item is out: main, which owns the sender, ends the stream.
        end_of_stream(&sender);
    });
}
