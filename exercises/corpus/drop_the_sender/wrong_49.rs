//! Wrong: `main` never drops its sender; once the producers are joined it waits until `receiver.is_empty()` and then calls `process::exit(0)`, killing consumers still working on the last items (their `got` and `Done` lines never come).
//!
//! Exercise `drop_the_sender`: no sentinel; the channel closes when every sender is gone.

use std::thread;

use common::{Item, Program, Settings};
use flume::{Receiver, Sender};

const PROGRAM: Program = Program {
    name: "drop_the_sender",
    about: "Exercise: the end of the items without a sentinel",
    producers: 3,
    consumers: 5,
    items: 10,
};
/// Makes its items and sends them. Returning drops `queue`, this
/// producer's `Sender`: that is its whole shutdown.
fn producer(id: usize, queue: Sender<Item>, settings: &Settings) {
    let me = format!("Producer {id}");
    println!("{me}: Running");
    let mut rng = settings.rng(id);
    for i in 0..settings.items {
        let item = Item {
            i,
            value: rng.random(),
        };
        thread::sleep(settings.effort(&me, item));
        if queue.send(item).is_err() {
            break; // Every consumer is gone.
        }
    }
    println!("{me}: Done");
}
/// Processes items until the channel is empty and disconnected.
fn consumer(id: usize, queue: Receiver<Item>, settings: &Settings) {
    let me = format!("Consumer {id}");
    println!("{me}: Running");
    // The loop waits while the channel is empty, and ends once it is empty
    // and every sender has been dropped.
    for item in queue {
        thread::sleep(settings.effort(&me, item));
        println!(">consumer {id} got {item}");
    }
    println!("{me}: Done");
}
use std::process;
use std::time::Duration;

fn main() {
    let settings = Settings::from_command_line(&PROGRAM);
    let (sender, receiver) = match settings.capacity {
        Some(capacity) => flume::bounded(capacity),
        None => flume::unbounded(),
    };
    thread::scope(|scope| {
        for id in 0..settings.consumers {
            let (receiver, settings) = (receiver.clone(), &settings);
            scope.spawn(move || consumer(id, receiver, settings));
        }
        let producers: Vec<_> = (0..settings.producers)
            .map(|id| {
                let (sender, settings) = (sender.clone(), &settings);
                scope.spawn(move || producer(id, sender, settings))
            })
            .collect();
        for producer in producers {
            let _ = producer.join();
        }
        // Every item is made; once the buffer is empty, the work is done.
        while !receiver.is_empty() {
            thread::sleep(Duration::from_millis(1));
        }
        process::exit(0);
    });
}
