//! Right: as right_2, plus the producer measures how long it took with Instant and reports it on stderr (no decision depends on it).
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
    let started = std::time::Instant::now();
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
    let _ = std::io::Write::write_all(
        &mut std::io::stderr(),
        format!("producer took {:?}\n", started.elapsed()).as_bytes(),
    );
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
