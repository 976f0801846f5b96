//! Wrong: a field-by-field copy with struct update syntax (`Settings { panic_at: ..clone(), stall: ..clone(), ..settings }`) gives the consumer a second Settings: a copy, not shared, though `.clone()` is never called on the settings themselves.

use std::thread;

use common::{Item, Message, Program, Settings};
use flume::{Receiver, Sender};

const PROGRAM: Program = Program {
    name: "borrow",
    about: "Exercise: threads that borrow what main owns",
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
    let (sender, receiver) = match settings.capacity {
        Some(capacity) => flume::bounded(capacity),
        None => flume::unbounded(),
    };
    // The consumer's own settings: the numbers are Copy, only the two
    // strings need copying.
    let theirs = Settings {
        panic_at: settings
            .panic_at
            .as_ref()
            .map(|(who, i)| (who.to_string(), *i)),
        stall: settings
            .stall
            .as_ref()
            .map(|(who, i)| (who.to_string(), *i)),
        ..settings
    };
    let consumer = thread::spawn(move || consumer(receiver, &theirs));
    let producer = thread::spawn(move || producer(sender, &settings));
    producer.join().expect("the producer");
    consumer.join().expect("the consumer");
}
