//! Right: consumer is an iterator chain (iter + map_while) and the producer sends the sentinel after its loop.
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
    (0..settings.items)
        .map(|i| Item {
            i,
            value: rng.random(),
        })
        .try_for_each(|item| {
            thread::sleep(settings.effort("Producer", item));
            queue.send(Message::Item(item))?;
            println!(">producer added {item}");
            Ok::<(), flume::SendError<Message>>(())
        })
        .and_then(|()| queue.send(Message::Sentinel))
        .expect("the consumer is there");
    println!("Producer: Done");
}

fn consumer(queue: &Receiver<Message>, settings: &Settings) {
    println!("Consumer: Running");
    let items = queue.iter().map_while(|message| match message {
        Message::Item(item) => Some(item),
        Message::Sentinel => None,
    });
    for item in items {
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
