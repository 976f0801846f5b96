//! Right: an RAII guard whose Drop sends the sentinel (also on a panic), and the consumer owns its receiver.
use std::thread;

use common::{Item, Message, Program, Settings};
use flume::{Receiver, Sender};

const PROGRAM: Program = Program {
    name: "sentinel",
    about: "Exercise: one producer, one consumer, and the end of the items",
    producers: 1,
    consumers: 1,
    items: 10,
};

/// Sends the sentinel when the producer is done, however it ends.
struct SentinelOnDrop<'a>(&'a Sender<Message>);

impl Drop for SentinelOnDrop<'_> {
    fn drop(&mut self) {
        let _ = self.0.send(Message::Sentinel);
    }
}

fn producer(queue: &Sender<Message>, settings: &Settings) {
    println!("Producer: Running");
    let _end = SentinelOnDrop(queue);
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
    println!("Producer: Done");
}

fn consumer(queue: &Receiver<Message>, settings: &Settings) {
    println!("Consumer: Running");
    loop {
        let Ok(message) = queue.recv() else { break };
        let Message::Item(item) = message else { break };
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
        let settings = &settings;
        scope.spawn(move || {
            let receiver = receiver; // owned: dropped if the consumer panics
            consumer(&receiver, settings)
        });
        scope.spawn(move || {
            let sender = sender;
            producer(&sender, settings)
        });
    });
}
