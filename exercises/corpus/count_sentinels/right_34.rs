//! Right: a generic iterator struct `UntilNth` yields a receiver's messages until the n-th end marker (n = `settings.producers`) or the channel's close, and the consumer processes the items it yields.
//!
//! Exercise `count_sentinels`: one sentinel per producer, one consumer.

use std::thread;

use common::{Item, Message, Program, Settings};
use flume::{Receiver, Sender};

const PROGRAM: Program = Program {
    name: "count_sentinels",
    about: "Exercise: many producers, each with its own sentinel, one consumer",
    producers: 3,
    consumers: 1,
    items: 5,
};
fn producer(id: usize, queue: Sender<Message>, settings: &Settings) {
    let me = format!("Producer {id}");
    println!("{me}: Running");
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
    // This producer is done; no need to wait for the others.
    let _ = queue.send(Message::Sentinel);
    println!("{me}: Done");
}
/// The messages of a receiver, up to its `n`-th end marker (not
/// included), or until the channel is empty and disconnected.
struct UntilNth<'a, T, F> {
    queue: &'a Receiver<T>,
    ends_left: usize,
    is_end: F,
}

impl<T, F: Fn(&T) -> bool> Iterator for UntilNth<'_, T, F> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        while self.ends_left > 0 {
            let message = self.queue.recv().ok()?;
            if !(self.is_end)(&message) {
                return Some(message);
            }
            self.ends_left -= 1;
        }
        None
    }
}

fn consumer(queue: Receiver<Message>, settings: &Settings) {
    println!("Consumer: Running");
    let messages = UntilNth {
        queue: &queue,
        ends_left: settings.producers,
        is_end: |message: &Message| *message == Message::Sentinel,
    };
    for message in messages {
        if let Message::Item(item) = message {
            thread::sleep(settings.effort("Consumer", item));
            println!(">consumer got {item}");
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
    thread::scope(|scope| {
        scope.spawn(|| consumer(receiver, &settings));
        for id in 0..settings.producers {
            let (sender, settings) = (sender.clone(), &settings);
            scope.spawn(move || producer(id, sender, settings));
        }
        // Only the producers hold senders now.
        drop(sender);
    });
}
