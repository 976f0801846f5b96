//! Right: the producer sends its items then the sentinel as one iterator chain, and the consumer reads with a for loop over iter().
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

fn producer(queue: &Sender<Message>, settings: &Settings) {
    println!("Producer: Running");
    let mut rng = settings.rng(0);
    let items = (0..settings.items).map(|i| Item {
        i,
        value: rng.random(),
    });
    let messages = items
        .map(Message::Item)
        .chain(std::iter::once(Message::Sentinel));
    for message in messages {
        match message {
            Message::Item(item) => {
                thread::sleep(settings.effort("Producer", item));
                queue.send(message).expect("the consumer is there");
                println!(">producer added {item}");
            }
            Message::Sentinel => {
                // After the last item: tell the consumer.
                queue.send(message).expect("the consumer is there");
            }
        }
    }
    println!("Producer: Done");
}

fn consumer(queue: &Receiver<Message>, settings: &Settings) {
    println!("Consumer: Running");
    for message in queue.iter() {
        let Message::Item(item) = message else {
            break;
        };
        thread::sleep(settings.effort("Consumer", item));
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
        scope.spawn(|| consumer(&receiver, &settings));
        scope.spawn(|| producer(&sender, &settings));
    });
}
