//! Right: a helper that owns the receiver processes items until the sentinel, so the receiver is dropped before the consumer passes the sentinel on.
//!
//! At capacity 0 the last consumer's `send` then fails at once (no receiver
//! left) instead of waiting; a consumer that panics drops its receiver too.
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

fn consumer(id: usize, queue: Receiver<Message>, requeue: Sender<Message>, settings: &Settings) {
    let me = format!("Consumer {id}");
    println!("{me}: Running");
    if process_until_sentinel(id, &me, queue, settings) {
        // `queue` is gone by now: at capacity 0 this `send` fails at once
        // when no other consumer is left to take the sentinel.
        if requeue.send(Message::Sentinel).is_err() {
            // The last consumer: nobody left to tell.
        }
    }
    println!("{me}: Done");
}

/// Processes items until the sentinel. Takes the receiver by value, so it
/// is dropped when this returns: true if the sentinel was read.
fn process_until_sentinel(
    id: usize,
    me: &str,
    queue: Receiver<Message>,
    settings: &Settings,
) -> bool {
    for message in queue.iter() {
        match message {
            Message::Item(item) => {
                thread::sleep(settings.effort(me, item));
                println!(">consumer {id} got {item}");
            }
            Message::Sentinel => return true,
        }
    }
    false
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
