//! Wrong: both sides run at once, but the producer sends with a one-second `send_timeout` and stops at a timeout ("the consumer must be gone"), so with a slow consumer at a small capacity (`--capacity 0 --time-scale 3`) the remaining items are never made.
//!
//! Exercise `rendezvous` (learner's answer).

use std::thread;
use std::time::Duration;

use common::{Item, Message, Program, Settings};
use flume::{Receiver, Sender};

const PROGRAM: Program = Program {
    name: "rendezvous",
    about: "Exercise: a producer and a consumer on a bounded buffer",
    producers: 1,
    consumers: 1,
    items: 10,
};

/// How long a full buffer may make the producer wait before it gives up.
const STUCK: Duration = Duration::from_secs(1);

fn producer(queue: Sender<Message>, settings: &Settings) {
    println!("Producer: Running");
    let mut rng = settings.rng(0);
    for i in 0..settings.items {
        let item = Item {
            i,
            value: rng.random(),
        };
        thread::sleep(settings.effort("Producer", item));
        if queue.send_timeout(Message::Item(item), STUCK).is_err() {
            break; // Nobody reads: stop.
        }
        println!(">producer added {item}");
    }
    let _ = queue.send_timeout(Message::Sentinel, STUCK);
    println!("Producer: Done");
}

fn consumer(queue: Receiver<Message>, settings: &Settings) {
    println!("Consumer: Running");
    while let Ok(Message::Item(item)) = queue.recv() {
        thread::sleep(settings.effort("Consumer", item));
        println!(">consumer got {item}");
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
