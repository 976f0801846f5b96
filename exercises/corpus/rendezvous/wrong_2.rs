//! Wrong: ignores --capacity and always uses an unbounded buffer, since that is the case that works.
//!
//! It never hangs, but --capacity no longer bounds anything: a run asked for
//! a rendezvous or one slot gets an unbounded buffer, and `main` still makes
//! every item before anyone reads one.

use std::thread;

use common::{Item, Message, Program, Settings};
use flume::{Receiver, Sender};

const PROGRAM: Program = Program {
    name: "rendezvous",
    about: "Exercise: a producer and a consumer on a bounded buffer",
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
            break;
        }
        println!(">producer added {item}");
    }
    let _ = queue.send(Message::Sentinel);
    println!("Producer: Done");
}

fn consumer(queue: Receiver<Message>, settings: &Settings) {
    println!("Consumer: Running");
    while let Ok(Message::Item(item)) = queue.recv() {
        thread::sleep(settings.effort("Consumer", item));
        println!(">consumer got {item}");
    }
    println!("Consumer: Done");
}

fn main() {
    let settings = Settings::from_command_line(&PROGRAM);
    // A bounded buffer hangs here: keep every item.
    let (sender, receiver) = flume::unbounded();
    producer(sender, &settings);
    thread::scope(|scope| {
        scope.spawn(|| consumer(receiver, &settings));
    });
}
