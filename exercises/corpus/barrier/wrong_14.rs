//! Wrong: producers 1.. report "done" on a std::sync::mpsc side channel once their last item is made but before it is sent; producer 0 can receive both reports and send the sentinel before a last item is in the buffer, and the consumer stops without it.
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

use std::sync::{Mutex, mpsc};
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

fn producer(
    id: usize,
    queue: Sender<Message>,
    done: mpsc::Sender<()>,
    all_done: &Mutex<mpsc::Receiver<()>>,
    settings: &Settings,
) {
    let me = format!("Producer {id}");
    println!("{me}: Running");
    let mut rng = settings.rng(id);
    for i in 0..settings.items {
        let item = Item {
            i,
            value: rng.random(),
        };
        thread::sleep(settings.effort(&me, item));
        if i + 1 == settings.items {
            let _ = done.send(()); // made my last one
        }
        if queue.send(Message::Item(item)).is_err() {
            break; // The consumer is gone.
        }
    }
    if id == 0 {
        // Every producer (this one too) has made its last item.
        let reports = all_done.lock().unwrap();
        for _ in 0..settings.producers {
            let _ = reports.recv();
        }
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
    let (sender, receiver) = match settings.capacity {
        Some(capacity) => flume::bounded(capacity),
        None => flume::unbounded(),
    };
    let (done_tx, done_rx) = mpsc::channel();
    let done_rx = Mutex::new(done_rx);
    thread::scope(|scope| {
        scope.spawn(|| consumer(receiver, &settings));
        for id in 0..settings.producers {
            let (sender, settings, done, all) =
                (sender.clone(), &settings, done_tx.clone(), &done_rx);
            scope.spawn(move || producer(id, sender, done, all, settings));
        }
        drop(done_tx);
        drop(sender);
    });
}
