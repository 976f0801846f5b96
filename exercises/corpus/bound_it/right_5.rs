//! Right: keeps an unbounded channel but bounds it with tokens: a second channel holds N free slots, taken by the producer before each send and given back by the consumer on each receive (capacity 0 uses a rendezvous channel)
//! Exercise `bound_it`: one fast producer, one slow consumer, and a buffer
//! that grows without limit.
//!
//! The consumer spends 2 ms more on each item than the producer does, so
//! items pile up in the buffer: with 1,000 items, or a million, they all
//! wait in memory. `--capacity N` is meant to bound the buffer to N items,
//! so that a full buffer makes the producer wait; this program ignores
//! it. Make it keep the bound.
//!
//! Grade it: `cargo xtask exercise bound_it`. Chapter: backpressure
//! (book/src/backpressure.md). Stuck? `exercises/bound_it/hint.md`.

use std::thread;
use std::time::Duration;

use common::{Item, Message, Program, Settings};
use flume::{Receiver, Sender};

const PROGRAM: Program = Program {
    name: "bound_it",
    about: "Exercise: a bounded buffer between a fast producer and a slow consumer",
    producers: 1,
    consumers: 1,
    items: 10,
};

/// What the consumer spends on each item, beyond its simulated effort:
/// it writes each one to a slow disk, say.
const SLOW: Duration = Duration::from_millis(2);

/// Free slots in the buffer, when it is bounded by tokens: the producer
/// takes one before each item, the consumer gives one back as it takes an
/// item out.
struct Slots {
    free: Receiver<()>,
    given_back: Sender<()>,
}

fn producer(queue: Sender<Message>, slots: Option<&Receiver<()>>, settings: &Settings) {
    println!("Producer: Running");
    let mut rng = settings.rng(0);
    for i in 0..settings.items {
        let item = Item {
            i,
            value: rng.random(),
        };
        thread::sleep(settings.effort("Producer", item));
        if let Some(free) = slots
            && free.recv().is_err()
        {
            break; // The consumer is gone.
        }
        if queue.send(Message::Item(item)).is_err() {
            break; // The consumer is gone.
        }
        println!(">producer added {item}");
    }
    let _ = queue.send(Message::Sentinel);
    println!("Producer: Done");
}

fn consumer(queue: Receiver<Message>, slots: Option<Sender<()>>, settings: &Settings) {
    println!("Consumer: Running");
    while let Ok(Message::Item(item)) = queue.recv() {
        if let Some(given_back) = &slots {
            let _ = given_back.send(());
        }
        thread::sleep(settings.effort("Consumer", item));
        thread::sleep(SLOW);
        println!(">consumer got {item}");
    }
    println!("Consumer: Done");
}

fn main() {
    let settings = Settings::from_command_line(&PROGRAM);
    let (sender, receiver, slots) = match settings.capacity {
        None => {
            let (s, r) = flume::unbounded();
            (s, r, None)
        }
        // No slot at all: each item is handed over directly.
        Some(0) => {
            let (s, r) = flume::bounded(0);
            (s, r, None)
        }
        Some(n) => {
            let (s, r) = flume::unbounded();
            let (given_back, free) = flume::bounded(n);
            for _ in 0..n {
                given_back.send(()).expect("room for n tokens");
            }
            (s, r, Some(Slots { free, given_back }))
        }
    };
    let (free, given_back) = match slots {
        Some(Slots { free, given_back }) => (Some(free), Some(given_back)),
        None => (None, None),
    };
    thread::scope(|scope| {
        scope.spawn(|| consumer(receiver, given_back, &settings));
        scope.spawn(|| producer(sender, free.as_ref(), &settings));
    });
}
