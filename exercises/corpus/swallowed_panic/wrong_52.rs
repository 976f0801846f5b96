//! Wrong: `main` waits at most 30 s for the threads (polling `is_finished`), then joins only those that finished and passes on their panics; a slow run (`--time-scale 10`) ends with threads still running, items lost and exit 0.
//!
//! Exercise `swallowed_panic`: a consumer's panic that must not go unheard.

use std::thread;

use common::{Item, Message, Program, Settings};
use flume::{Receiver, Sender};

const PROGRAM: Program = Program {
    name: "swallowed_panic",
    about: "Exercise: a consumer's panic that must not go unheard",
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
    while let Ok(Message::Item(item)) = queue.recv() {
        thread::sleep(settings.effort("Consumer", item));
        println!(">consumer got {item}");
    }
    println!("Consumer: Done");
}

use std::panic;
use std::time::{Duration, Instant};

/// No run of ten items takes longer than this.
const PATIENCE: Duration = Duration::from_secs(30);

fn main() {
    let settings = Settings::from_command_line(&PROGRAM);
    let (sender, receiver) = match settings.capacity {
        Some(capacity) => flume::bounded(capacity),
        None => flume::unbounded(),
    };
    let for_consumer = settings.clone();
    let consumer = thread::spawn(move || consumer(receiver, &for_consumer));
    let for_producer = settings.clone();
    let producer = thread::spawn(move || producer(sender, &for_producer));
    let threads = [consumer, producer];
    let deadline = Instant::now() + PATIENCE;
    while Instant::now() < deadline && !threads.iter().all(|t| t.is_finished()) {
        thread::sleep(Duration::from_millis(10));
    }
    let mut failure = None;
    for thread in threads {
        if thread.is_finished() {
            if let Err(panic) = thread.join() {
                failure.get_or_insert(panic);
            }
        }
    }
    if let Some(panic) = failure {
        panic::resume_unwind(panic);
    }
}
