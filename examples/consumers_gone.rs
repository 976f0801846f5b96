//! Every consumer gone while producers still send: each consumer processes
//! three items and leaves, dropping its `Receiver`. When the last one is
//! gone, the producers' next `send` returns an error, and they stop.
//!
//! Nothing can receive from a channel without receivers, so what is still
//! in the buffer at that moment is dropped with the channel. The threads
//! return what they did, and `main` says how many items that was.
//!
//! ```text
//! cargo run --example consumers_gone
//! cargo run --example consumers_gone -- --capacity 0 --seed 7
//! cargo run --example consumers_gone -- --help
//! ```

use std::thread;

use common::{Item, Program, Settings};
use flume::{Receiver, Sender};

const PROGRAM: Program = Program {
    name: "consumers_gone",
    about: "The consumers leave after three items each; the producers' next send fails, \
            and they stop",
    producers: 2,
    consumers: 2,
    items: 10,
};

/// Items each consumer processes before it leaves.
const ENOUGH: usize = 3;

// ANCHOR: producer
/// Makes and sends items until they are all sent, or nobody is listening.
/// Returns how many it put in the buffer, and how many were refused.
fn producer(id: usize, queue: Sender<Item>, settings: &Settings) -> (usize, usize) {
    let me = format!("Producer {id}");
    println!("{me}: Running");
    let mut rng = settings.rng(id);
    let mut added = 0;
    let mut refused = 0;
    for i in 0..settings.items {
        let item = Item {
            i,
            value: rng.random(),
        };
        thread::sleep(settings.effort(&me, item));
        // The error gives the item back: it was never in the buffer.
        if let Err(flume::SendError(item)) = queue.send(item) {
            println!(">producer {id} refused {item}");
            refused += 1;
            break;
        }
        println!(">producer {id} added {item}");
        added += 1;
    }
    println!("{me}: Done");
    (added, refused)
}
// ANCHOR_END: producer

// ANCHOR: consumer
/// Processes three items, then leaves; returning drops its `Receiver`.
/// Returns how many items it processed.
fn consumer(id: usize, queue: Receiver<Item>, settings: &Settings) -> usize {
    let me = format!("Consumer {id}");
    println!("{me}: Running");
    let mut got = 0;
    for item in queue.iter().take(ENOUGH) {
        thread::sleep(settings.effort(&me, item));
        println!(">consumer {id} got {item}");
        got += 1;
    }
    println!("{me}: Done");
    got
}
// ANCHOR_END: consumer

// ANCHOR: main
fn main() {
    let settings = Settings::from_command_line(&PROGRAM);
    let (sender, receiver) = match settings.capacity {
        Some(capacity) => flume::bounded(capacity),
        None => flume::unbounded(),
    };
    let (added, refused, got) = thread::scope(|scope| {
        let consumers: Vec<_> = (0..settings.consumers)
            .map(|id| {
                let (receiver, settings) = (receiver.clone(), &settings);
                scope.spawn(move || consumer(id, receiver, settings))
            })
            .collect();
        let producers: Vec<_> = (0..settings.producers)
            .map(|id| {
                let (sender, settings) = (sender.clone(), &settings);
                scope.spawn(move || producer(id, sender, settings))
            })
            .collect();
        drop((sender, receiver));
        // `join` hands back what each thread returned (and passes a
        // thread's panic on, as the end of the scope would).
        let (mut added, mut refused) = (0, 0);
        for producer in producers {
            let (a, r) = producer
                .join()
                .unwrap_or_else(|e| std::panic::resume_unwind(e));
            (added, refused) = (added + a, refused + r);
        }
        let got: usize = consumers
            .into_iter()
            .map(|c| c.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .sum();
        (added, refused, got)
    });
    eprintln!(
        "consumers_gone: {got} items processed, {} left in the buffer and dropped with the \
         channel, {refused} refused by a failed send",
        added - got
    );
}
// ANCHOR_END: main
