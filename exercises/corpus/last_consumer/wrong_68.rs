//! Wrong: the consumers are untouched; a `room_for_sentinel!` macro turns `--capacity 0` into a buffer of one slot, so the last `send` finds room.
//!
//! The program no longer keeps the capacity it is given: there is never a
//! rendezvous channel, which is the whole point of the exercise.
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
fn consumer(id: usize, queue: Receiver<Message>, requeue: Sender<Message>, settings: &Settings) {
    let me = format!("Consumer {id}");
    println!("{me}: Running");
    while let Ok(message) = queue.recv() {
        match message {
            Message::Item(item) => {
                thread::sleep(settings.effort(&me, item));
                println!(">consumer {id} got {item}");
            }
            Message::Sentinel => break,
        }
    }
    // Pass the sentinel on to the next consumer.
    let _ = requeue.send(Message::Sentinel);
    println!("{me}: Done");
}
/// A rendezvous channel has no room for a sentinel nobody takes: give it one.
macro_rules! room_for_sentinel {
    ($capacity:expr) => {
        if $capacity == 0 { 1 } else { $capacity }
    };
}

fn main() {
    let settings = Settings::from_command_line(&PROGRAM);
    let (sender, receiver) = match settings.capacity {
        Some(capacity) => flume::bounded(room_for_sentinel!(capacity)),
        None => flume::unbounded(),
    };
    let barrier = Barrier::new(settings.producers);
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
