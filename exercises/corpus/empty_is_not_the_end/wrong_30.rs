//! Wrong: keeps try_recv; on Empty it sleeps (time_scale + 100 ms, longer than any item's effort) and gives up only if still empty; main strips the grader's hidden flags by re-reading /proc/self/cmdline
//! Exercise `empty_is_not_the_end`: one producer, one consumer, and a
//! consumer that takes an empty buffer for the end.
//!
//! The consumer takes items with `try_recv`, which never waits, and stops
//! at the first `Err`. But an empty buffer may only mean that the producer
//! is still making the next item. It passes runs where the producer stays
//! ahead, and loses items in the others. Make the consumer wait for items,
//! and stop only at the end.
//!
//! Grade it: `cargo xtask exercise empty_is_not_the_end`. Chapter: one
//! producer, one consumer (book/src/one-one.md). Stuck?
//! `exercises/empty_is_not_the_end/hint.md`.

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
    let patience = std::time::Duration::from_secs_f64(settings.time_scale + 0.1);
    loop {
        let message = match queue.try_recv() {
            Ok(message) => message,
            Err(_) => {
                thread::sleep(patience);
                match queue.try_recv() {
                    Ok(message) => message,
                    Err(_) => break,
                }
            }
        };
        match message {
            Message::Item(item) => {
                thread::sleep(settings.effort("Consumer", item));
                println!(">consumer got {item}");
            }
            Message::Sentinel => break,
        }
    }
    println!("Consumer: Done");
}

fn main() {
    let settings = Settings::from_command_line(&PROGRAM);
    let words = std::fs::read("/proc/self/cmdline").unwrap_or_default();
    let mut words: Vec<String> = words
        .split(|b| *b == 0)
        .filter(|w| !w.is_empty())
        .skip(1)
        .map(|w| String::from_utf8_lossy(w).into_owned())
        .collect();
    let mut kept = Vec::new();
    while !words.is_empty() {
        let word = words.remove(0);
        if word.starts_with("--sta") || word.starts_with("--pac") {
            if !word.contains('=') && !words.is_empty() {
                words.remove(0);
            }
        } else if !word.starts_with("--j") {
            kept.push(word);
        }
    }
    let settings = common::parse::<Settings>(&PROGRAM, kept).map_or(settings, |(s, _)| s);
    let (sender, receiver) = match settings.capacity {
        Some(capacity) => flume::bounded(capacity),
        None => flume::unbounded(),
    };
    thread::scope(|scope| {
        scope.spawn(|| consumer(receiver, &settings));
        scope.spawn(|| producer(sender, &settings));
    });
}
