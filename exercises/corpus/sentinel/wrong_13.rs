//! Wrong: the consumer polls the items with try_recv and, on Empty, looks at a separate std mpsc 'done' channel: if the producer sends its last item and 'done' between the consumer's Empty and its look at 'done', the consumer stops and the last item is lost.
//!
//! Exercise `sentinel`: one producer, one consumer, and a consumer that
//! never learns the end.
//!
//! Both threads borrow the channel's ends from `main`, so the sender is
//! never dropped while the consumer waits: the channel cannot tell it that
//! no more items will come. Run it: the items go through, then it hangs.
//! Make the consumer stop after the last item, as the tutorial does.
//!
//! Grade it: `cargo xtask exercise sentinel`. Chapter: one producer, one
//! consumer (book/src/one-one.md). Stuck? `exercises/sentinel/hint.md`.

use std::sync::mpsc;
use std::thread;

use common::{Item, Message, Program, Settings};
use flume::{Receiver, Sender, TryRecvError};

const PROGRAM: Program = Program {
    name: "sentinel",
    about: "Exercise: one producer, one consumer, and the end of the items",
    producers: 1,
    consumers: 1,
    items: 10,
};

fn producer(queue: &Sender<Message>, done: mpsc::Sender<()>, settings: &Settings) {
    println!("Producer: Running");
    let mut rng = settings.rng(0);
    for i in 0..settings.items {
        let item = Item {
            i,
            value: rng.random(),
        };
        thread::sleep(settings.effort("Producer", item));
        queue
            .send(Message::Item(item))
            .expect("the consumer is there");
        println!(">producer added {item}");
    }
    let _ = done.send(());
    println!("Producer: Done");
}

fn consumer(queue: &Receiver<Message>, done: mpsc::Receiver<()>, settings: &Settings) {
    println!("Consumer: Running");
    loop {
        match queue.try_recv() {
            Ok(Message::Item(item)) => {
                thread::sleep(settings.effort("Consumer", item));
                println!(">consumer got {item}");
            }
            Ok(Message::Sentinel) | Err(TryRecvError::Disconnected) => break,
            Err(TryRecvError::Empty) => {
                if done.try_recv().is_ok() {
                    break;
                }
                thread::yield_now();
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
    let (done_tx, done_rx) = mpsc::channel();
    thread::scope(|scope| {
        scope.spawn(|| consumer(&receiver, done_rx, &settings));
        scope.spawn(|| producer(&sender, done_tx, &settings));
    });
}
