//! Wrong: each item's work runs under catch_unwind so a panicking consumer goes on with the next item: the panic is swallowed and the run exits 0, not 101.
use std::panic::{self, AssertUnwindSafe};
use std::thread;

use common::{Item, Message, Program, Settings};
use flume::{Receiver, Sender};

const PROGRAM: Program = Program {
    name: "pass_it_on",
    about: "Exercise: one producer, many consumers, one sentinel",
    producers: 1,
    consumers: 3,
    items: 10,
};

fn producer(queue: Sender<Message>, settings: &Settings) {
    println!("Producer: Running");
    // Even if making the items panics, the sentinel goes out before the
    // panic is passed on: the consumers hold senders, so the channel never
    // closes by itself, and without it they would wait for ever.
    let made = panic::catch_unwind(AssertUnwindSafe(|| {
        let mut rng = settings.rng(0);
        for i in 0..settings.items {
            let item = Item {
                i,
                value: rng.random(),
            };
            thread::sleep(settings.effort("Producer", item));
            let _ = queue.send(Message::Item(item));
        }
    }));
    let _ = queue.send(Message::Sentinel);
    if let Err(panic) = made {
        panic::resume_unwind(panic);
    }
    println!("Producer: Done");
}

/// Processes items until the sentinel; true if it saw one.
fn work(me: &str, id: usize, queue: &Receiver<Message>, settings: &Settings) -> bool {
    loop {
        let Ok(message) = queue.recv() else {
            return false;
        };
        let Message::Item(item) = message else {
            return true;
        };
        // One bad item must not stop this consumer, nor the others.
        let done = std::panic::catch_unwind(AssertUnwindSafe(|| {
            thread::sleep(settings.effort(me, item));
            println!(">consumer {id} got {item}");
        }));
        if done.is_err() {
            continue;
        }
    }
}

fn consumer(id: usize, queue: Receiver<Message>, requeue: Sender<Message>, settings: &Settings) {
    let me = format!("Consumer {id}");
    println!("{me}: Running");
    let saw_sentinel = work(&me, id, &queue, settings);
    // Let go of my receiver first: if I am the last consumer, the send
    // below then fails at once instead of waiting for a receiver (capacity 0).
    drop(queue);
    if saw_sentinel {
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
    thread::scope(|scope| {
        for id in 0..settings.consumers {
            let (receiver, requeue) = (receiver.clone(), sender.clone());
            let settings = &settings;
            scope.spawn(move || consumer(id, receiver, requeue, settings));
        }
        drop(receiver);
        scope.spawn(|| producer(sender, &settings));
    });
}
