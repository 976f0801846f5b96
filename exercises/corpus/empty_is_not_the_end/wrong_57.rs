//! Wrong: on an empty buffer the consumer retries `try_recv` ten times, 100 ms apart, then takes the silence for the end, so a producer that spends over a second on one item (`--time-scale 2`, or a slow pace) loses the rest of its items.
//!
//! Exercise `empty_is_not_the_end`: a consumer that must wait for items.

use std::thread;

use common::{Item, Message, Program, Settings};
use flume::{Receiver, Sender};

const PROGRAM: Program = Program {
    name: "empty_is_not_the_end",
    about: "Exercise: a consumer that must wait for items",
    producers: 1,
    consumers: 1,
    items: 10,
};

fn producer(queue: Sender<Message>, settings: &Settings) {
    println!("Producer: Running");
    let mut rng = settings.rng(0);
    for i in 0..settings.items {
        let item = Item {
            i,
            value: rng.random(),
        };
        thread::sleep(settings.effort("Producer", item));
        if queue.send(Message::Item(item)).is_err() {
            break; // The consumer is gone.
        }
        println!(">producer added {item}");
    }
    let _ = queue.send(Message::Sentinel);
    println!("Producer: Done");
}
use std::time::Duration;

/// How many times, and how far apart, the consumer looks again.
const RETRIES: u32 = 10;
const PAUSE: Duration = Duration::from_millis(100);

/// The next message, looking a few times before giving up.
fn next_message(queue: &Receiver<Message>) -> Option<Message> {
    for _ in 0..RETRIES {
        if let Ok(message) = queue.try_recv() {
            return Some(message);
        }
        thread::sleep(PAUSE);
    }
    None
}

fn consumer(queue: Receiver<Message>, settings: &Settings) {
    println!("Consumer: Running");
    while let Some(message) = next_message(&queue) {
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
    thread::scope(|scope| {
        scope.spawn(|| consumer(receiver, &settings));
        scope.spawn(|| producer(sender, &settings));
    });
}
