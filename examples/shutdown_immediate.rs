//! Shutting the queue down from the consumer side at once, like Python
//! 3.13's `Queue.shutdown(immediate=True)`.
//!
//! Halfway through, a consumer decides it has had enough and shuts the
//! queue down. From then on, producers are refused: each stops at the item
//! it was trying to put. What is already in the buffer is thrown away.
//! Every item made gets its lines: `added` then `got`, `added` then
//! `dropped`, or `refused`.
//!
//! A flume channel closes only when every sender or every receiver is gone,
//! and a consumer does not own the producers' senders. So the threads share
//! a second channel, `closed`, that never carries a message: shutting down
//! drops its only sender, and from then on every thread that looks at it
//! (`closed.is_disconnected()`) sees the shutdown. This program differs
//! from `shutdown.rs` only in its consumer.
//!
//! ```text
//! cargo run --example shutdown_immediate
//! cargo run --example shutdown_immediate -- --capacity 2 --seed 7 --time-scale 0.1
//! cargo run --example shutdown_immediate -- --help
//! ```

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};
use std::thread;

use common::{Item, Program, Settings};
use flume::{Receiver, Sender};

const PROGRAM: Program = Program {
    name: "shutdown_immediate",
    about: "A consumer shuts the queue down halfway, at once: producers are refused, \
            and what is left in the buffer is dropped unprocessed",
    producers: 3,
    consumers: 2,
    items: 10,
};

// ANCHOR: switch
/// The shutdown switch: it holds the only sender of the `closed` channel,
/// and flipping it drops that sender, which disconnects `closed`.
struct Switch(Mutex<Option<Sender<()>>>);

impl Switch {
    /// Flips the switch; only the first call does, and returns `true`.
    fn flip(&self) -> bool {
        // A thread that panicked holding the lock left an `Option`, whole.
        let mut sender = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        sender.take().is_some()
    }
}
// ANCHOR_END: switch

// ANCHOR: producer
/// Makes and puts items until the queue is shut down (`closed` is
/// disconnected).
fn producer(id: usize, queue: Sender<Item>, closed: Receiver<()>, settings: &Settings) {
    let me = format!("Producer {id}");
    println!("{me}: Running");
    let mut rng = settings.rng(id);
    for i in 0..settings.items {
        let item = Item {
            i,
            value: rng.random(),
        };
        thread::sleep(settings.effort(&me, item));
        if closed.is_disconnected() {
            println!(">producer {id} refused {item}");
            break;
        }
        // A `send` already waiting for room when the shutdown comes still
        // completes: the consumers drop what is in the buffer.
        if queue.send(item).is_err() {
            break; // Every consumer is gone.
        }
        println!(">producer {id} added {item}");
    }
    println!("{me}: Done");
}
// ANCHOR_END: producer

// ANCHOR: consumer
/// Processes items until the queue is shut down; from then on, drops each
/// item it takes, until the buffer is empty and every producer has stopped.
fn consumer(
    id: usize,
    queue: Receiver<Item>,
    closed: Receiver<()>,
    shared: &Shared,
    settings: &Settings,
) {
    let me = format!("Consumer {id}");
    println!("{me}: Running");
    for item in queue {
        if closed.is_disconnected() {
            println!(">consumer {id} dropped {item}");
            continue;
        }
        thread::sleep(settings.effort(&me, item));
        println!(">consumer {id} got {item}");
        let processed = shared.processed.fetch_add(1, Ordering::SeqCst) + 1;
        if processed == settings.producers * settings.items / 2 {
            println!("{me}: Shut down the queue");
            shared.switch.flip();
        }
    }
    println!("{me}: Done");
}
// ANCHOR_END: consumer

// ANCHOR: main
/// What the consumers share: the switch, and how many items they processed.
struct Shared {
    switch: Switch,
    processed: AtomicUsize,
}

fn main() {
    let settings = Settings::from_command_line(&PROGRAM);
    let (sender, receiver) = match settings.capacity {
        Some(capacity) => flume::bounded(capacity),
        None => flume::unbounded(),
    };
    // Capacity 0 is enough: nothing is ever sent on `closed`.
    let (switch, closed) = flume::bounded(0);
    let shared = Shared {
        switch: Switch(Mutex::new(Some(switch))),
        processed: AtomicUsize::new(0),
    };
    thread::scope(|scope| {
        for id in 0..settings.consumers {
            let (receiver, closed) = (receiver.clone(), closed.clone());
            let (shared, settings) = (&shared, &settings);
            scope.spawn(move || consumer(id, receiver, closed, shared, settings));
        }
        for id in 0..settings.producers {
            let (sender, closed, settings) = (sender.clone(), closed.clone(), &settings);
            scope.spawn(move || producer(id, sender, closed, settings));
        }
        drop((sender, receiver, closed));
    });
}
// ANCHOR_END: main
