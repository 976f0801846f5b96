//! Wrong: the channel is bounded, but the producer never waits: when try_send finds it full it parks the item in a local VecDeque backlog and goes on making items, so with a slow consumer every item piles up in memory again (the buffer just moved), breaking the rule that a full buffer makes the producer wait.
//! Exercise `bound_it`: one fast producer, one slow consumer, and a buffer
//! that grows without limit.
//!
//! The consumer spends 2 ms more on each item than the producer does, so
//! items pile up in the buffer: with 1,000 items, or a million, they all
//! wait in memory. `--capacity N` is meant to bound the buffer to N items,
//! so that a full buffer makes the producer wait; this program ignores
//! it. Make it keep the bound.
//!
//! Grade it: `cargo xtask exercise bound_it`. Chapter: backpressure
//! (book/src/backpressure.md). Stuck? `exercises/bound_it/hint.md`.

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

fn producer(queue: Sender<Message>, settings: &Settings) {
    println!("Producer: Running");
    let mut rng = settings.rng(0);
    let mut backlog: VecDeque<Item> = VecDeque::new();
    // Hands on what fits now; true if the consumer is gone.
    let flush = |backlog: &mut VecDeque<Item>| {
        while let Some(&item) = backlog.front() {
            match queue.try_send(Message::Item(item)) {
                Ok(()) => {
                    backlog.pop_front();
                    println!(">producer added {item}");
                }
                Err(TrySendError::Full(_)) => return false,
                Err(TrySendError::Disconnected(_)) => return true,
            }
        }
        false
    };
    for i in 0..settings.items {
        let item = Item {
            i,
            value: rng.random(),
        };
        thread::sleep(settings.effort("Producer", item));
        backlog.push_back(item);
        if flush(&mut backlog) {
            return println!("Producer: Done");
        }
    }
    // Whatever is still parked waits for room now.
    for item in backlog {
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
