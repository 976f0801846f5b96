//! Wrong: consumers keep a count of those still running, raised at start and lowered at the end each with a load then a store; one that sees others left passes the sentinel on.
//!
//! The five consumers start at the same moment, and a load then a store is
//! not one atomic step: two that count themselves in together both store the
//! same number, so the count is one short. Then the second-to-last consumer
//! believes it is the last, keeps the sentinel, and the last one waits for
//! ever. Rare, but it hangs at any capacity.

use std::panic::{self, AssertUnwindSafe};
use std::sync::Barrier;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

use common::{Item, Message, Program, Settings};
use flume::{Receiver, Sender};

const PROGRAM: Program = Program {
    name: "last_consumer",
    about: "Exercise: many producers, many consumers, one sentinel passed on",
    producers: 3,
    consumers: 5,
    items: 10,
};
fn producer(id: usize, queue: Sender<Message>, barrier: &Barrier, settings: &Settings) {
    let me = format!("Producer {id}");
    println!("{me}: Running");
    // A producer that panics must still arrive at the barrier, or the
    // others would wait there for ever: catch, arrive, then pass it on.
    let made = panic::catch_unwind(AssertUnwindSafe(|| {
        let mut rng = settings.rng(id);
        for i in 0..settings.items {
            let item = Item {
                i,
                value: rng.random(),
            };
            thread::sleep(settings.effort(&me, item));
            if queue.send(Message::Item(item)).is_err() {
                break; // Every consumer is gone.
            }
        }
    }));
    // The last producer to arrive releases them all; one of them, the
    // barrier's leader, sends the only sentinel.
    if barrier.wait().is_leader() {
        let _ = queue.send(Message::Sentinel);
    }
    if let Err(panic) = made {
        panic::resume_unwind(panic);
    }
    println!("{me}: Done");
}
fn consumer(
    id: usize,
    queue: Receiver<Message>,
    requeue: Sender<Message>,
    running: &AtomicUsize,
    settings: &Settings,
) {
    let me = format!("Consumer {id}");
    println!("{me}: Running");
    let count = running.load(Ordering::Acquire);
    running.store(count + 1, Ordering::Release);
    while let Ok(message) = queue.recv() {
        match message {
            Message::Item(item) => {
                thread::sleep(settings.effort(&me, item));
                println!(">consumer {id} got {item}");
            }
            Message::Sentinel => break,
        }
    }
    let left = running.load(Ordering::Acquire);
    running.store(left - 1, Ordering::Release);
    // Pass the sentinel on, unless this is the last consumer.
    if left > 1 {
        let _ = requeue.send(Message::Sentinel);
    }
    println!("{me}: Done");
}
fn main() {
    let settings = Settings::from_command_line(&PROGRAM);
    let (sender, receiver) = match settings.capacity {
        Some(capacity) => flume::bounded(capacity),
        None => flume::unbounded(),
    };
    let barrier = Barrier::new(settings.producers);
    let running = AtomicUsize::new(0);
    thread::scope(|scope| {
        for id in 0..settings.consumers {
            let (receiver, requeue) = (receiver.clone(), sender.clone());
            let (running, settings) = (&running, &settings);
            scope.spawn(move || consumer(id, receiver, requeue, running, settings));
        }
        drop(receiver);
        for id in 0..settings.producers {
            let sender = sender.clone();
            let (barrier, settings) = (&barrier, &settings);
            scope.spawn(move || producer(id, sender, barrier, settings));
        }
        drop(sender);
    });
}
