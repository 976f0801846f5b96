//! Wrong: a counter of running consumers (decremented on reading the sentinel) decides who passes it on; a consumer that panics is never counted out, so with --capacity 0 --panic-at consumer:2 the last live consumer sends the sentinel with its own receiver still open and hangs.

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
/// Consumers that have not yet seen the sentinel.
static RUNNING: AtomicUsize = AtomicUsize::new(0);

fn consumer(id: usize, queue: Receiver<Message>, requeue: Sender<Message>, settings: &Settings) {
    let me = format!("Consumer {id}");
    println!("{me}: Running");
    while let Ok(message) = queue.recv() {
        match message {
            Message::Item(item) => {
                thread::sleep(settings.effort(&me, item));
                println!(">consumer {id} got {item}");
            }
            Message::Sentinel => {
                // Pass it on, unless I am the last one still running.
                if RUNNING.fetch_sub(1, Ordering::AcqRel) > 1 {
                    let _ = requeue.send(Message::Sentinel);
                }
                break;
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
    RUNNING.store(settings.consumers, Ordering::Release);
    thread::scope(|scope| {
        for id in 0..settings.consumers {
            let (receiver, requeue) = (receiver.clone(), sender.clone());
            let settings = &settings;
            scope.spawn(move || consumer(id, receiver, requeue, settings));
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
