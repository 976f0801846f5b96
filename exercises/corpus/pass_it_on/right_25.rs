//! Right: an RAII guard owns the receiver and, on drop, lets it go and passes the sentinel on, but only if this consumer really took it (armed flag).
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

/// Owns the consumer's receiver. Dropped, it lets the receiver go first,
/// then hands on the sentinel if this consumer took it: never on a panic.
struct Handoff {
    queue: Option<Receiver<Message>>,
    requeue: Sender<Message>,
    took_sentinel: bool,
}

impl Drop for Handoff {
    fn drop(&mut self) {
        drop(self.queue.take());
        if self.took_sentinel {
            let _ = self.requeue.send(Message::Sentinel);
        }
    }
}

fn consumer(id: usize, queue: Receiver<Message>, requeue: Sender<Message>, settings: &Settings) {
    let me = format!("Consumer {id}");
    println!("{me}: Running");
    let mut handoff = Handoff {
        queue: Some(queue),
        requeue,
        took_sentinel: false,
    };
    while let Some(Ok(message)) = handoff.queue.as_ref().map(Receiver::recv) {
        let Message::Item(item) = message else {
            handoff.took_sentinel = true;
            break;
        };
        thread::sleep(settings.effort(&me, item));
        println!(">consumer {id} got {item}");
    }
    drop(handoff);
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
