//! Right: a second, std `mpsc` channel says when the others are done: producer 0 owns its receiver and waits until every other producer has dropped its `mpsc::Sender` (at the sentinel's place, panic or not), then sends the only sentinel.
//!
//! Exercise `barrier`: one sentinel, from one producer, once every producer
//! is done.

use std::panic::{self, AssertUnwindSafe};
use std::thread;

use common::{Item, Message, Program, Settings};
use flume::{Receiver, Sender};

const PROGRAM: Program = Program {
    name: "barrier",
    about: "Exercise: many producers, one consumer, one sentinel",
    producers: 3,
    consumers: 1,
    items: 5,
};
use std::sync::mpsc;

/// What a producer does at the end: wait for the others and send the
/// sentinel, or say that it is done by dropping its notice.
enum Role {
    Closer(mpsc::Receiver<()>),
    Member(mpsc::Sender<()>),
}

fn producer(id: usize, queue: Sender<Message>, role: Role, settings: &Settings) {
    let me = format!("Producer {id}");
    println!("{me}: Running");
    let made = panic::catch_unwind(AssertUnwindSafe(|| {
        let mut rng = settings.rng(id);
        for i in 0..settings.items {
            let item = Item {
                i,
                value: rng.random(),
            };
            thread::sleep(settings.effort(&me, item));
            if queue.send(Message::Item(item)).is_err() {
                break; // The consumer is gone.
            }
        }
    }));
    match role {
        // `recv` fails once every member's sender is gone: all are done.
        Role::Closer(others) => {
            while others.recv().is_ok() {}
            let _ = queue.send(Message::Sentinel);
        }
        Role::Member(notice) => drop(notice),
    }
    if let Err(panic) = made {
        panic::resume_unwind(panic);
    }
    println!("{me}: Done");
}

fn consumer(queue: Receiver<Message>, settings: &Settings) {
    println!("Consumer: Running");
    loop {
        // Only the sentinel ends the stream: if the channel closes first,
        // every producer has ended and none sent it.
        let message = queue.recv().expect("no producer sent the sentinel");
        match message {
            Message::Item(item) => {
                thread::sleep(settings.effort("Consumer", item));
                println!(">consumer got {item}");
            }
            Message::Sentinel => break,
        }
    }
    println!("Consumer: Done");
}

fn main() {
    let settings = Settings::from_command_line(&PROGRAM);
    let (sender, receiver) = match settings.capacity {
        Some(capacity) => flume::bounded(capacity),
        None => flume::unbounded(),
    };
    let (notice, others) = mpsc::channel::<()>();
    let mut others = Some(others);
    thread::scope(|scope| {
        scope.spawn(|| consumer(receiver, &settings));
        for id in 0..settings.producers {
            let role = match others.take() {
                Some(others) => Role::Closer(others),
                None => Role::Member(notice.clone()),
            };
            let (sender, settings) = (sender.clone(), &settings);
            scope.spawn(move || producer(id, sender, role, settings));
        }
        drop(sender);
        drop(notice);
    });
}
