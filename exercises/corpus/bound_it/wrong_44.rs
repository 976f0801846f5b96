//! Wrong: the channel is bounded, but the consumer takes everything waiting in it at once (`drain()` into a local batch) before working through it, so the producer rarely waits and the items pile up in the consumer's memory instead of the buffer.
//!
//! Exercise `bound_it`: a bounded buffer between a fast producer and a slow consumer.

use std::thread;
use std::time::Duration;

use common::{Item, Message, Program, Settings};
use flume::{Receiver, Sender};

const PROGRAM: Program = Program {
    name: "bound_it",
    about: "Exercise: a bounded buffer between a fast producer and a slow consumer",
    producers: 1,
    consumers: 1,
    items: 10,
};

/// What the consumer spends on each item, beyond its simulated effort:
/// it writes each one to a slow disk, say.
const SLOW: Duration = Duration::from_millis(2);

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

fn consumer(queue: Receiver<Message>, settings: &Settings) {
    println!("Consumer: Running");
    // Takes what is there in one go: fewer trips to the channel.
    let mut batch: Vec<Message> = Vec::new();
    'run: loop {
        batch.extend(queue.drain());
        if batch.is_empty() {
            match queue.recv() {
                Ok(message) => batch.push(message),
                Err(_) => break,
            }
        }
        for message in batch.drain(..) {
            let Message::Item(item) = message else {
                break 'run;
            };
            thread::sleep(settings.effort("Consumer", item));
            thread::sleep(SLOW);
            println!(">consumer got {item}");
        }
    }
    println!("Consumer: Done");
}

fn main() {
    let settings = Settings::from_command_line(&PROGRAM);
    let (sender, receiver) = settings
        .capacity
        .map_or_else(flume::unbounded, flume::bounded);
    thread::scope(|scope| {
        scope.spawn(|| consumer(receiver, &settings));
        scope.spawn(|| producer(sender, &settings));
    });
}
