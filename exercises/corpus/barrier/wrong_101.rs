//! Wrong: each producer counts itself done when it starts its last item, before that item's work and send, so the last to start sends the sentinel while another producer may still be working on its last item, which is then never processed.
//!
//! Exercise `barrier` (learner's answer): an atomic countdown instead of a
//! barrier.

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
use std::sync::atomic::{AtomicUsize, Ordering};

fn producer(id: usize, queue: Sender<Message>, left: &AtomicUsize, settings: &Settings) {
    let me = format!("Producer {id}");
    println!("{me}: Running");
    let mut last_out = false;
    let made = panic::catch_unwind(AssertUnwindSafe(|| {
        let mut rng = settings.rng(id);
        for i in 0..settings.items {
            if i + 1 == settings.items {
                // On my last item: count myself out.
                last_out = left.fetch_sub(1, Ordering::AcqRel) == 1;
            }
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
    if made.is_err() {
        // Failed before its last item: count it out now.
        last_out = left.fetch_sub(1, Ordering::AcqRel) == 1;
    }
    if last_out {
        let _ = queue.send(Message::Sentinel);
    }
    if let Err(panic) = made {
        panic::resume_unwind(panic);
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
    let left = AtomicUsize::new(settings.producers);
    thread::scope(|scope| {
        scope.spawn(|| consumer(receiver, &settings));
        for id in 0..settings.producers {
            let (sender, left, settings) = (sender.clone(), &left, &settings);
            scope.spawn(move || producer(id, sender, left, settings));
        }
        drop(sender);
    });
}
