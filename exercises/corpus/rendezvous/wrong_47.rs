//! Wrong: `main` still makes every item before starting the consumer, and a `room_for!` macro grows the buffer to hold every item and the sentinel.
//!
//! It never hangs, but `--capacity 0` or `1` is ignored: the buffer holds all the
//! items at once, which is exactly the unbounded growth a bound is there to stop.
use std::thread;

use common::{Item, Message, Program, Settings};
use flume::{Receiver, Sender};

const PROGRAM: Program = Program {
    name: "rendezvous",
    about: "Exercise: a producer and a consumer on a bounded buffer",
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
            break;
        }
        println!(">producer added {item}");
    }
    let _ = queue.send(Message::Sentinel);
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

/// Room for every item and the sentinel, at least the capacity asked for.
macro_rules! room_for {
    ($capacity:expr, $settings:expr) => {
        $capacity.max($settings.items + 1)
    };
}

fn main() {
    let settings = Settings::from_command_line(&PROGRAM);
    let (sender, receiver) = match settings.capacity {
        Some(capacity) => flume::bounded(room_for!(capacity, settings)),
        None => flume::unbounded(),
    };
    producer(sender, &settings);
    thread::scope(|scope| {
        scope.spawn(|| consumer(receiver, &settings));
    });
}
