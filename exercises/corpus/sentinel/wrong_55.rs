//! Wrong: the producer sends the sentinel after the item whose index, narrowed to a `u8` type alias, equals the last index, so with `--items 300` the sentinel goes out after item 43 and the items after it are never processed.
//!
//! Exercise `sentinel`: one producer, one consumer, and a consumer that
//! never learns the end.
//!
//! Both threads borrow the channel's ends from `main`, so the sender is
//! never dropped while the consumer waits: the channel cannot tell it that
//! no more items will come. Run it: the items go through, then it hangs.
//! Make the consumer stop after the last item, with a sentinel, as the
//! tutorial does.
//!
//! Grade it: `cargo xtask exercise sentinel`. Chapter: one producer, one
//! consumer (book/src/one-one.md). Stuck? `exercises/sentinel/hint.md`.

use std::thread;

use common::{Item, Message, Program, Settings};
use flume::{Receiver, Sender};

const PROGRAM: Program = Program {
    name: "sentinel",
    about: "Exercise: one producer, one consumer, and the end of the items",
    producers: 1,
    consumers: 1,
    items: 10,
};

/// An item's place in the run: runs are short.
type Index = u8;

/// Whether item `i` is the run's last.
fn is_last(i: usize, settings: &Settings) -> bool {
    i as Index == settings.items.wrapping_sub(1) as Index
}

fn producer(queue: &Sender<Message>, settings: &Settings) {
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
        if is_last(i, settings) {
            queue
                .send(Message::Sentinel)
                .expect("the consumer is there");
        }
    }
    if settings.items == 0 {
        queue
            .send(Message::Sentinel)
            .expect("the consumer is there");
    }
    println!("Producer: Done");
}

fn consumer(queue: &Receiver<Message>, settings: &Settings) {
    println!("Consumer: Running");
    loop {
        match queue.recv().expect("the producer's sender lives in main") {
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
    thread::scope(|scope| {
        scope.spawn(|| consumer(&receiver, &settings));
        scope.spawn(|| producer(&sender, &settings));
    });
}
