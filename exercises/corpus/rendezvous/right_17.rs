//! Right: a Barrier makes the producer and consumer threads start together, and a helper spawns each on the scope.
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

use std::sync::Barrier;

fn on_thread<'scope, 'env>(
    scope: &'scope thread::Scope<'scope, 'env>,
    start: &'env Barrier,
    work: impl FnOnce() + Send + 'scope,
) -> thread::ScopedJoinHandle<'scope, ()> {
    scope.spawn(move || {
        start.wait();
        work()
    })
}

fn main() {
    let settings = Settings::from_command_line(&PROGRAM);
    let (sender, receiver) = match settings.capacity {
        Some(capacity) => flume::bounded(capacity),
        None => flume::unbounded(),
    };
    let start = Barrier::new(2);
    thread::scope(|scope| {
        let settings = &settings;
        let c = on_thread(scope, &start, move || consumer(receiver, settings));
        let p = on_thread(scope, &start, move || producer(sender, settings));
        let results = [p.join(), c.join()];
        for result in results {
            if let Err(panic) = result {
                std::panic::resume_unwind(panic);
            }
        }
    });
}
