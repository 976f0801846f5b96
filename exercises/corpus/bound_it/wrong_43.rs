//! Wrong: the channel is bounded, but the producer never waits for room: it keeps items the full buffer refuses in a local `VecDeque` and moves them in later with `try_send`, so every item still piles up in memory (only its `added` line waits).
//!
//! Exercise `bound_it` (learner's answer).

use std::collections::VecDeque;
use std::thread;
use std::time::Duration;

use common::{Item, Message, Program, Settings};
use flume::{Receiver, Sender, TrySendError};

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

/// Moves what the channel takes now from `backlog` into it; false once
/// the consumer is gone.
fn flush(queue: &Sender<Message>, backlog: &mut VecDeque<Item>) -> bool {
    while let Some(item) = backlog.pop_front() {
        match queue.try_send(Message::Item(item)) {
            Ok(()) => println!(">producer added {item}"),
            Err(TrySendError::Full(_)) => {
                backlog.push_front(item);
                return true;
            }
            Err(TrySendError::Disconnected(_)) => return false,
        }
    }
    true
}

fn producer(queue: Sender<Message>, settings: &Settings) {
    println!("Producer: Running");
    let mut rng = settings.rng(0);
    let mut backlog = VecDeque::new();
    for i in 0..settings.items {
        let item = Item {
            i,
            value: rng.random(),
        };
        thread::sleep(settings.effort("Producer", item));
        backlog.push_back(item);
        if !flush(&queue, &mut backlog) {
            break; // The consumer is gone.
        }
    }
    // The rest, now that nothing else is to be made.
    while let Some(item) = backlog.pop_front() {
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
        thread::sleep(SLOW);
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
