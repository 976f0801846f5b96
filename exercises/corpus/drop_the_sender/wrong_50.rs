//! Wrong: the consumers are detached `thread::spawn` threads that `main` waits for by polling `is_finished` for at most two seconds after the producers end, so with slow consumers (`--pace 1:8`) `main` returns and items in flight or in the buffer are never processed.
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
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long `main` waits for the consumers after the last item is made.
const GRACE: Duration = Duration::from_secs(2);

fn main() {
    let settings = Arc::new(Settings::from_command_line(&PROGRAM));
    let (sender, receiver) = match settings.capacity {
        Some(capacity) => flume::bounded(capacity),
        None => flume::unbounded(),
    };
    let consumers: Vec<_> = (0..settings.consumers)
        .map(|id| {
            let (receiver, settings) = (receiver.clone(), Arc::clone(&settings));
            thread::spawn(move || consumer(id, receiver, &settings))
        })
        .collect();
    drop(receiver);
    thread::scope(|scope| {
        for id in 0..settings.producers {
            let (sender, settings) = (sender.clone(), &*settings);
            scope.spawn(move || producer(id, sender, settings));
        }
        drop(sender);
    });
    let deadline = Instant::now() + GRACE;
    while Instant::now() < deadline && !consumers.iter().all(|c| c.is_finished()) {
        thread::sleep(Duration::from_millis(5));
    }
}
