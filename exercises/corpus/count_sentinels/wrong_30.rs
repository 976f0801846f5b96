//! Wrong: stops at the first sentinel after a grace sleep (items x time_scale + 100 ms) and a try_iter drain; main strips the grader's hidden flags by re-reading /proc/self/cmdline
//! Exercise `count_sentinels`: three producers, each sending its own
//! sentinel when it is done, and one consumer.
//!
//! The consumer stops at the first sentinel, as if there were one
//! producer: the items the others send after it are never processed. It
//! passes some runs and fails others. Make the consumer stop at the right
//! time, without changing the producers.
//!
//! Grade it: `cargo xtask exercise count_sentinels`. Chapter: counting
//! sentinels (book/src/counting-sentinels.md). Stuck?
//! `exercises/count_sentinels/hint.md`.

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
fn consumer(queue: Receiver<Message>, settings: &Settings) {
    println!("Consumer: Running");
    while let Ok(message) = queue.recv() {
        match message {
            Message::Item(item) => {
                thread::sleep(settings.effort("Consumer", item));
                println!(">consumer got {item}");
            }
            Message::Sentinel => {
                let grace = settings.items as f64 * settings.time_scale + 0.1;
                thread::sleep(std::time::Duration::from_secs_f64(grace));
                for message in queue.try_iter() {
                    if let Message::Item(item) = message {
                        thread::sleep(settings.effort("Consumer", item));
                        println!(">consumer got {item}");
                    }
                }
                break;
            }
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
        // Only the producers hold senders now.
        drop(sender);
    });
}
