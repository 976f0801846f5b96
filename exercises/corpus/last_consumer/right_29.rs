//! Right: consumers share an atomic count of those still running (an RAII guard counts each out, panic included); the sentinel's holder counts itself out and offers it with short `send_timeout`s until another consumer takes it or none is left.
//!
//! Exercise `last_consumer`: many producers, many consumers, one sentinel passed on.

use std::panic::{self, AssertUnwindSafe};
use std::sync::Barrier;
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
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// Counts its consumer as running until dropped, however it ends.
struct Running<'a>(&'a AtomicUsize);

impl Drop for Running<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
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
    let counted = Running(running);
    let mut sentinel = None;
    while let Ok(message) = queue.recv() {
        match message {
            Message::Item(item) => {
                thread::sleep(settings.effort(&me, item));
                println!(">consumer {id} got {item}");
            }
            Message::Sentinel => {
                sentinel = Some(message);
                break;
            }
        }
    }
    drop(counted);
    if let Some(mut message) = sentinel {
        // Some consumer still counted will come back to `recv`, or be
        // counted out if it fails: offer until then.
        while running.load(Ordering::Acquire) > 0 {
            match requeue.send_timeout(message, Duration::from_millis(10)) {
                Ok(()) => break,
                Err(flume::SendTimeoutError::Timeout(back)) => message = back,
                Err(flume::SendTimeoutError::Disconnected(_)) => break,
            }
        }
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
    let running = AtomicUsize::new(settings.consumers);
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
