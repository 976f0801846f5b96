//! Wrong: `main` joins both threads but passes on only the consumer's panic (the producer's result is dropped in a helper), so with `--panic-at producer:3` the program still exits 0.
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

/// The run's two threads: the consumer is the one that can fail.
struct Run {
    consumer: JoinHandle<()>,
    producer: JoinHandle<()>,
}

impl Run {
    /// Waits for both, and gives the consumer's outcome.
    fn finish(self) -> thread::Result<()> {
        let consumed = self.consumer.join();
        let _ = self.producer.join();
        consumed
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
    let run = Run {
        consumer: thread::spawn(move || consumer(receiver, &for_consumer)),
        producer: thread::spawn(move || producer(sender, &for_producer)),
    };
    if let Err(panic) = run.finish() {
        panic::resume_unwind(panic);
    }
}
