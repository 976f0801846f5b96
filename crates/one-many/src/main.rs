//! One producer, many consumers (section 5 of the tutorial).
//!
//! One sentinel stops one consumer. So each consumer that reads the
//! sentinel puts it back in the buffer before it stops, and the sentinel
//! passes from consumer to consumer until every one has stopped.
//!
//! ```text
//! cargo run -p one-many
//! cargo run -p one-many -- --consumers 8 --seed 7 --time-scale 0.1
//! cargo run -p one-many -- --help
//! ```

use std::panic::{self, AssertUnwindSafe};
use std::thread;

use common::{Item, Message, Program, Settings};
use flume::{Receiver, Sender};

const PROGRAM: Program = Program {
    name: "one-many",
    about: "One producer, many consumers: each consumer that reads the sentinel \
            passes it on",
    producers: 1,
    consumers: 3,
    items: 10,
};

// ANCHOR: producer
fn producer(queue: Sender<Message>, settings: &Settings) {
    println!("Producer: Running");
    // The consumers hold senders too (to pass the sentinel on), so the
    // channel never closes by itself: even if making the items panics, the
    // sentinel must go out, or the consumers would wait for ever. So catch
    // the panic, send the sentinel, and only then pass the panic on.
    let made = panic::catch_unwind(AssertUnwindSafe(|| {
        let mut rng = settings.rng(0);
        for i in 0..settings.items {
            let item = Item {
                i,
                value: rng.random(),
            };
            thread::sleep(settings.effort("Producer", item));
            if queue.send(Message::Item(item)).is_err() {
                break; // Every consumer is gone.
            }
        }
    }));
    let _ = queue.send(Message::Sentinel);
    if let Err(panic) = made {
        panic::resume_unwind(panic);
    }
    println!("Producer: Done");
}
// ANCHOR_END: producer

// ANCHOR: consumer
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
    // Stop receiving before passing the sentinel on: the last consumer's
    // `send` then fails at once, instead of waiting for a reader that will
    // never come (on a channel of capacity 0).
    drop(queue);
    let _ = requeue.send(Message::Sentinel);
    println!("{me}: Done");
}
// ANCHOR_END: consumer

// ANCHOR: main
fn main() {
    let settings = Settings::from_command_line(&PROGRAM);
    let (sender, receiver) = match settings.capacity {
        Some(capacity) => flume::bounded(capacity),
        None => flume::unbounded(),
    };
    thread::scope(|scope| {
        for id in 0..settings.consumers {
            // Each consumer takes items out, and may put the sentinel back.
            let (receiver, requeue) = (receiver.clone(), sender.clone());
            let settings = &settings;
            scope.spawn(move || consumer(id, receiver, requeue, settings));
        }
        drop(receiver);
        scope.spawn(|| producer(sender, &settings));
    });
}
// ANCHOR_END: main
