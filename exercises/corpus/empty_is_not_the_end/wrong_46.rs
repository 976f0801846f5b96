//! Wrong: on Empty it gives the producer a 20 ms grace period and stops if still empty; a slower producer loses its items.
use flume::TryRecvError;

use std::thread;

use common::{Item, Message, Program, Settings};
use flume::{Receiver, Sender};

const PROGRAM: Program = Program {
    name: "empty_is_not_the_end",
    about: "Exercise: a consumer that must wait for items",
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
            break; // The consumer is gone.
        }
        println!(">producer added {item}");
    }
    let _ = queue.send(Message::Sentinel);
    println!("Producer: Done");
}
fn consumer(queue: Receiver<Message>, settings: &Settings) {
    println!("Consumer: Running");
    let mut waited = false;
    loop {
        match queue.try_recv() {
            Ok(Message::Item(item)) => {
                waited = false;
                thread::sleep(settings.effort("Consumer", item));
                println!(">consumer got {item}");
            }
            Err(TryRecvError::Empty) if !waited => {
                waited = true;
                thread::sleep(std::time::Duration::from_millis(20));
            }
            _ => break,
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
        scope.spawn(|| consumer(receiver, &settings));
        scope.spawn(|| producer(sender, &settings));
    });
}
