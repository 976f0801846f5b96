//! Right: both roles are boxed closures in a Vec, each spawned on a named scoped thread from a loop, all joined by the scope.
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

type Job<'a> = Box<dyn FnOnce() + Send + 'a>;

fn main() {
    let settings = Settings::from_command_line(&PROGRAM);
    let (sender, receiver) = match settings.capacity {
        Some(capacity) => flume::bounded(capacity),
        None => flume::unbounded(),
    };
    let settings = &settings;
    let jobs: Vec<(&str, Job<'_>)> = vec![
        ("consumer", Box::new(move || consumer(receiver, settings))),
        ("producer", Box::new(move || producer(sender, settings))),
    ];
    thread::scope(|scope| {
        for (name, job) in jobs {
            thread::Builder::new()
                .name(name.to_string())
                .spawn_scoped(scope, job)
                .expect("a thread");
        }
    });
}
