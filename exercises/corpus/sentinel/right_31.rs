//! Right: a closure stored in a variable sends the sentinel after the loop, items are made by a helper, and progress is logged to stderr.
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

fn make_item(rng: &mut common::Values, i: usize) -> Item {
    Item {
        i,
        value: rng.random(),
    }
}

fn producer(queue: &Sender<Message>, settings: &Settings) {
    println!("Producer: Running");
    let say_the_end = || {
        eprintln!("producer: sending the sentinel");
        queue.send(Message::Sentinel)
    };
    let mut rng = settings.rng(0);
    let mut i = 0;
    while i < settings.items {
        let item = make_item(&mut rng, i);
        thread::sleep(settings.effort("Producer", item));
        queue
            .send(Message::Item(item))
            .expect("the consumer is there");
        println!(">producer added {item}");
        i += 1;
    }
    say_the_end().expect("the consumer is there");
    println!("Producer: Done");
}

fn consumer(queue: &Receiver<Message>, settings: &Settings) {
    println!("Consumer: Running");
    while let Ok(message) = queue.recv() {
        if let Message::Item(item) = message {
            thread::sleep(settings.effort("Consumer", item));
            println!(">consumer got {item}");
        } else {
            eprintln!("consumer: got the sentinel");
            break;
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
