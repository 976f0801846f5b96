//! Right: producer 0 is handed the other producers' JoinHandles, joins them after its own items, sends the one sentinel, then passes on any panic.
use std::any::Any;
use std::panic::{self, AssertUnwindSafe};
use std::thread;
use std::thread::ScopedJoinHandle;

use common::{Item, Message, Program, Settings};
use flume::{Receiver, Sender};

const PROGRAM: Program = Program {
    name: "barrier",
    about: "Exercise: many producers, one consumer, one sentinel",
    producers: 3,
    consumers: 1,
    items: 5,
};

fn make(id: usize, queue: &Sender<Message>, settings: &Settings) {
    let me = format!("Producer {id}");
    println!("{me}: Running");
    let mut rng = settings.rng(id);
    for i in 0..settings.items {
        let item = Item {
            i,
            value: rng.random(),
        };
        thread::sleep(settings.effort(&me, item));
        if queue.send(Message::Item(item)).is_err() {
            break; // The consumer is gone.
        }
    }
    println!("{me}: Done");
}

/// Producer 0: its own items, then waits for the others, then the sentinel.
fn first_producer(
    queue: Sender<Message>,
    others: Vec<ScopedJoinHandle<'_, ()>>,
    settings: &Settings,
) {
    let mine = panic::catch_unwind(AssertUnwindSafe(|| make(0, &queue, settings)));
    let theirs: Vec<Box<dyn Any + Send>> = others
        .into_iter()
        .filter_map(|other| other.join().err())
        .collect();
    let _ = queue.send(Message::Sentinel);
    if let Some(panic) = mine.err().into_iter().chain(theirs).next() {
        panic::resume_unwind(panic);
    }
}

fn consumer(queue: Receiver<Message>, settings: &Settings) {
    println!("Consumer: Running");
    loop {
        // Only the sentinel ends the stream: if the channel closes first,
        // every producer has ended and none sent it.
        let message = queue.recv().expect("no producer sent the sentinel");
        match message {
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
        let settings = &settings;
        scope.spawn(move || consumer(receiver, settings));
        let others: Vec<_> = (1..settings.producers)
            .map(|id| {
                let sender = sender.clone();
                scope.spawn(move || make(id, &sender, settings))
            })
            .collect();
        scope.spawn(move || first_producer(sender, others, settings));
    });
}
