//! Wrong: the producer raises a shared `done` flag as it starts its last item, before that item is made and sent, and the consumer stops at an empty buffer once the flag is up, so a consumer that has caught up loses the last item.
//!
//! Exercise `empty_is_not_the_end` (learner's answer): `try_recv`, plus a flag that says when empty means the end.

use std::thread;

use common::{Item, Message, Program, Settings};
use flume::{Receiver, Sender};

const PROGRAM: Program = Program {
    name: "empty_is_not_the_end",
    about: "Exercise: a consumer that must wait for items",
    producers: 1,
    consumers: 1,
    items: 10,
};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

fn producer(queue: Sender<Message>, done: &AtomicBool, settings: &Settings) {
    println!("Producer: Running");
    let mut rng = settings.rng(0);
    for i in 0..settings.items {
        if i + 1 == settings.items {
            // The last one: the consumer may finish once it is through.
            done.store(true, Ordering::Release);
        }
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
    done.store(true, Ordering::Release);
    let _ = queue.send(Message::Sentinel);
    println!("Producer: Done");
}

fn consumer(queue: Receiver<Message>, done: &AtomicBool, settings: &Settings) {
    println!("Consumer: Running");
    loop {
        match queue.try_recv() {
            Ok(Message::Item(item)) => {
                thread::sleep(settings.effort("Consumer", item));
                println!(">consumer got {item}");
            }
            Ok(Message::Sentinel) | Err(flume::TryRecvError::Disconnected) => break,
            // Empty: the end only if the producer said so.
            Err(flume::TryRecvError::Empty) => {
                if done.load(Ordering::Acquire) {
                    break;
                }
                thread::sleep(Duration::from_millis(1));
            }
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
    let done = AtomicBool::new(false);
    thread::scope(|scope| {
        scope.spawn(|| consumer(receiver, &done, &settings));
        scope.spawn(|| producer(sender, &done, &settings));
    });
}
