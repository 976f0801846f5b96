//! Right: a `Relay` struct holds the consumer's two ends; its `hand_on(self)` method drops the receiver before it sends the sentinel, and nothing else sends one.
//!
//! Exercise `pass_it_on`: one sentinel, passed from consumer to consumer.

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

/// A consumer's ends.
struct Relay {
    inbox: Receiver<Message>,
    outbox: Sender<Message>,
}

impl Relay {
    /// The next item, or `None` at the sentinel (or the channel's end).
    fn next_item(&self) -> Option<Item> {
        match self.inbox.recv() {
            Ok(Message::Item(item)) => Some(item),
            Ok(Message::Sentinel) | Err(_) => None,
        }
    }

    /// Lets go of the receiving end, then passes the sentinel on.
    fn hand_on(self) {
        let Relay { inbox, outbox } = self;
        drop(inbox);
        let _ = outbox.send(Message::Sentinel);
    }
}

fn consumer(id: usize, queue: Receiver<Message>, requeue: Sender<Message>, settings: &Settings) {
    let me = format!("Consumer {id}");
    println!("{me}: Running");
    let relay = Relay {
        inbox: queue,
        outbox: requeue,
    };
    while let Some(item) = relay.next_item() {
        thread::sleep(settings.effort(&me, item));
        println!(">consumer {id} got {item}");
    }
    relay.hand_on();
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
