//! Wrong: a std::sync::mpsc channel behind an enum and a type alias instead of the flume buffer main is given, which the exercise asks to keep
//! Exercise `rendezvous`: one producer, one consumer, and a buffer that
//! fills up before anyone reads it.
//!
//! `main` makes every item itself, then starts the consumer. With an
//! unbounded buffer that works: the items wait in it. With `--capacity 1`
//! the second `send` waits for room that only the consumer can make, and
//! the consumer has not started: it hangs. With `--capacity 0` the first
//! one does. Make it work at every capacity.
//!
//! Grade it: `cargo xtask exercise rendezvous`. Chapter: backpressure
//! (book/src/backpressure.md). Stuck? `exercises/rendezvous/hint.md`.

use std::thread;

use common::{Item, Message, Program, Settings};
use std::sync::mpsc;

/// Either kind of std sender, under one name.
enum Sender<T> {
    Bounded(mpsc::SyncSender<T>),
    Unbounded(mpsc::Sender<T>),
}

impl<T> Sender<T> {
    fn send(&self, value: T) -> Result<(), mpsc::SendError<T>> {
        match self {
            Sender::Bounded(s) => s.send(value),
            Sender::Unbounded(s) => s.send(value),
        }
    }
}

type Receiver<T> = mpsc::Receiver<T>;

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
        Some(capacity) => {
            let (s, r) = mpsc::sync_channel(capacity);
            (Sender::Bounded(s), r)
        }
        None => {
            let (s, r) = mpsc::channel();
            (Sender::Unbounded(s), r)
        }
    };
    thread::scope(|scope| {
        scope.spawn(|| consumer(receiver, &settings));
        scope.spawn(|| producer(sender, &settings));
    });
}
