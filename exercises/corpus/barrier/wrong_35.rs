//! Wrong: producer 0 sleeps (items x time_scale + 100 ms) before sending the sentinel, and main rebuilds its settings from /proc/self/cmdline minus the grader's hidden flags, so no stop or pace can outlast the sleep (no banned words in the file)
//! Exercise `barrier`: three producers, one consumer, and a sentinel sent
//! too early.
//!
//! Producer 0 sends the sentinel as soon as its own items are out. But the
//! other producers may still be making theirs: the consumer stops at the
//! sentinel, and their items are never processed. It passes some runs and
//! fails others. Send one sentinel, from one producer, once every producer
//! is done.
//!
//! Grade it: `cargo xtask exercise barrier`. Chapter: many producers, one
//! consumer (book/src/many-one.md). Stuck? `exercises/barrier/hint.md`.

use std::thread;

use common::{Item, Message, Program, Settings};
use flume::{Receiver, Sender};

const PROGRAM: Program = Program {
    name: "barrier",
    about: "Exercise: many producers, one consumer, one sentinel",
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
    if id == 0 {
        let longest = settings.items as f64 * settings.time_scale + 0.1;
        thread::sleep(std::time::Duration::from_secs_f64(longest));
        let _ = queue.send(Message::Sentinel);
    }
    println!("{me}: Done");
}

fn consumer(queue: Receiver<Message>, settings: &Settings) {
    println!("Consumer: Running");
    loop {
        // Only the sentinel ends the stream: if the channel closes first,
        // every producer has ended and none sent it.
        let message = queue.recv().expect("no producer sent the sentinel");
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
        for id in 0..settings.producers {
            let (sender, settings) = (sender.clone(), &settings);
            scope.spawn(move || producer(id, sender, settings));
        }
        drop(sender);
    });
}
