//! Wrong: the consumer starts first on a `thread::spawn` thread whose handle sits in a struct field and is never joined; `main` returns once the producer is done, so with room in the buffer (unbounded, or a large capacity) the consumer is cut off before the last items.
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

use std::thread::JoinHandle;

/// The run's consumer, started before the producer.
struct Pipeline {
    _consumer: JoinHandle<()>,
}

impl Pipeline {
    fn start(receiver: Receiver<Message>, settings: &Settings) -> Pipeline {
        let settings = settings.clone();
        Pipeline {
            _consumer: thread::spawn(move || consumer(receiver, &settings)),
        }
    }
}

fn main() {
    let settings = Settings::from_command_line(&PROGRAM);
    let (sender, receiver) = match settings.capacity {
        Some(capacity) => flume::bounded(capacity),
        None => flume::unbounded(),
    };
    let _pipeline = Pipeline::start(receiver, &settings);
    producer(sender, &settings);
}
