//! Wrong: the channel stays unbounded, and the producer sleep-polls `queue.len()` before each send, treating capacity 0 as 1.
//!
//! `--capacity 0` asks for a rendezvous (no item waiting), but here one item can
//! wait in the buffer; the bound is also kept by a 1 ms polling loop, not by the channel.
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
        wait_for_room(&queue, settings.capacity);
        if queue.send(Message::Item(item)).is_err() {
            break; // The consumer is gone.
        }
        println!(">producer added {item}");
    }
    let _ = queue.send(Message::Sentinel);
    println!("Producer: Done");
}

/// Waits until the buffer has room for one more item: fewer than
/// `capacity` items in it (at least one slot, or nothing could ever go in).
fn wait_for_room(queue: &Sender<Message>, capacity: Option<usize>) {
    if let Some(capacity) = capacity {
        while queue.len() >= capacity.max(1) {
            thread::sleep(Duration::from_millis(1));
        }
    }
}

fn consumer(queue: Receiver<Message>, settings: &Settings) {
    println!("Consumer: Running");
    while let Ok(Message::Item(item)) = queue.recv() {
        thread::sleep(settings.effort("Consumer", item));
        thread::sleep(SLOW);
        println!(">consumer got {item}");
    }
    println!("Consumer: Done");
}

fn main() {
    let settings = Settings::from_command_line(&PROGRAM);
    let (sender, receiver) = flume::unbounded();
    thread::scope(|scope| {
        scope.spawn(|| consumer(receiver, &settings));
        scope.spawn(|| producer(sender, &settings));
    });
}
