//! Wrong: producers count themselves done with a `bump!` macro that does `load` then `store`, and the one that reads the full count sends the sentinel.
//!
//! Two producers that finish together can both load the same value: one
//! increment is lost, nobody sees the full count, no sentinel is sent (or, read
//! after a later store, two are).
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
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

/// Adds one to a counter.
macro_rules! bump {
    ($counter:expr) => {
        $counter.store($counter.load(Ordering::SeqCst) + 1, Ordering::SeqCst)
    };
}

fn producer(id: usize, queue: Sender<Message>, finished: &AtomicUsize, settings: &Settings) {
    let me = format!("Producer {id}");
    println!("{me}: Running");
    // A producer that panics still comes to the sentinel's place before
    // it passes the panic on: no other thread may wait for it for ever.
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
    // Count this producer as done; the one that makes the count complete
    // sends the sentinel.
    bump!(finished);
    if finished.load(Ordering::SeqCst) == settings.producers {
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
    let finished = AtomicUsize::new(0);
    thread::scope(|scope| {
        scope.spawn(|| consumer(receiver, &settings));
        for id in 0..settings.producers {
            let (sender, finished, settings) = (sender.clone(), &finished, &settings);
            scope.spawn(move || producer(id, sender, finished, settings));
        }
        drop(sender);
    });
}
