//! Wrong: `main` joins through a lazy `map(join).filter_map(Result::err).next()`, which stops joining at the first panicked thread.
//!
//! The producers after the one that panicked are never joined before `main`
//! re-raises the panic; the exercise asks for every thread joined first.
use std::panic;
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
    let mut sentinels = 0;
    while let Ok(message) = queue.recv() {
        match message {
            Message::Item(item) => {
                thread::sleep(settings.effort("Consumer", item));
                println!(">consumer got {item}");
            }
            Message::Sentinel => {
                sentinels += 1;
                if sentinels == settings.producers {
                    break;
                }
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
    let settings: &'static Settings = Box::leak(Box::new(settings));
    let mut threads = vec![thread::spawn(move || consumer(receiver, settings))];
    for id in 0..settings.producers {
        let sender = sender.clone();
        threads.push(thread::spawn(move || producer(id, sender, settings)));
    }
    // Only the producers hold senders now.
    drop(sender);
    // Join them, and pass the first panic on.
    let first_panic = threads
        .into_iter()
        .map(thread::JoinHandle::join)
        .filter_map(Result::err)
        .next();
    if let Some(panic) = first_panic {
        panic::resume_unwind(panic);
    }
}
