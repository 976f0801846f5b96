//! Wrong: the consumer's thread reads the command line a second time (a helper, settings_for_thread) instead of sharing main's settings: a second Settings, and without --seed a second random seed, printed twice on stderr; the consumer's effort, jitter and --panic-at then follow another run's seed.

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

/// Settings a thread can own: read from the command line, as main did.
fn settings_for_thread() -> Settings {
    Settings::from_command_line(&PROGRAM)
}

fn main() {
    let settings = Settings::from_command_line(&PROGRAM);
    let (sender, receiver) = match settings.capacity {
        Some(capacity) => flume::bounded(capacity),
        None => flume::unbounded(),
    };
    let consumer = thread::spawn(move || consumer(receiver, &settings_for_thread()));
    let producer = thread::spawn(move || producer(sender, &settings));
    producer.join().expect("the producer");
    consumer.join().expect("the consumer");
}
