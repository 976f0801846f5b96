//! Wrong: the barrier is right, but a producer's caught panic is only reported on stderr (its message downcast and printed) and never passed on, so with `--panic-at producer-1:2` the program exits 0 instead of 101.
//!
//! Exercise `barrier` (learner's answer): "report the failure, keep the
//! run clean".

use std::panic::{self, AssertUnwindSafe};
use std::thread;

use common::{Item, Message, Program, Settings};
use flume::{Receiver, Sender};

const PROGRAM: Program = Program {
    name: "barrier",
    about: "Exercise: many producers, one consumer, one sentinel",
    producers: 3,
    consumers: 1,
    items: 5,
};
use std::any::Any;
use std::sync::Barrier;

/// Says what a caught panic was about.
fn report(who: &str, panic: Box<dyn Any + Send>) {
    let text = match panic.downcast::<String>() {
        Ok(text) => *text,
        Err(panic) => panic
            .downcast_ref::<&str>()
            .map_or("(unknown)".to_string(), |text| text.to_string()),
    };
    eprintln!("{who} failed: {text}");
}

fn producer(id: usize, queue: Sender<Message>, barrier: &Barrier, settings: &Settings) {
    let me = format!("Producer {id}");
    println!("{me}: Running");
    let made = panic::catch_unwind(AssertUnwindSafe(|| {
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
    }));
    if barrier.wait().is_leader() {
        let _ = queue.send(Message::Sentinel);
    }
    if let Err(panic) = made {
        report(&me, panic);
        return;
    }
    println!("{me}: Done");
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
    let barrier = Barrier::new(settings.producers);
    thread::scope(|scope| {
        scope.spawn(|| consumer(receiver, &settings));
        for id in 0..settings.producers {
            let (sender, barrier, settings) = (sender.clone(), &barrier, &settings);
            scope.spawn(move || producer(id, sender, barrier, settings));
        }
        drop(sender);
    });
}
