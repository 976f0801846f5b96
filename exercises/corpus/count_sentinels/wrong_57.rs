//! Wrong: after the first sentinel the consumer stops if no message comes for 30 s ("the others would have sent by now"), so a producer slower than that per item (`--time-scale 100`) loses its remaining items.
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
use std::time::Duration;

/// How long the others may stay silent after a sentinel.
const QUIET: Duration = Duration::from_secs(30);

fn consumer(queue: Receiver<Message>, settings: &Settings) {
    println!("Consumer: Running");
    let mut waiting = false;
    loop {
        let message = if waiting {
            match queue.recv_timeout(QUIET) {
                Ok(message) => message,
                Err(_) => break,
            }
        } else {
            match queue.recv() {
                Ok(message) => message,
                Err(_) => break,
            }
        };
        match message {
            Message::Item(item) => {
                thread::sleep(settings.effort("Consumer", item));
                println!(">consumer got {item}");
            }
            Message::Sentinel => waiting = true,
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
