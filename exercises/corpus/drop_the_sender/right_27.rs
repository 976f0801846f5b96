//! Right: main's sender is parked in a Mutex; each producer, after its own sender is gone (even by a panic, via a Drop guard), checks sender_count() under that lock, so the last one to check always sees 1 and drops it.
use std::sync::Mutex;

use std::thread;

use common::{Item, Program, Settings};
use flume::{Receiver, Sender};

const PROGRAM: Program = Program {
    name: "drop_the_sender",
    about: "Exercise: the end of the items without a sentinel",
    producers: 3,
    consumers: 5,
    items: 10,
};
/// Makes its items and sends them. Returning drops `queue`, this
/// producer's `Sender`: that is its whole shutdown.
fn producer(id: usize, queue: Sender<Item>, settings: &Settings) {
    let me = format!("Producer {id}");
    println!("{me}: Running");
    let mut rng = settings.rng(id);
    for i in 0..settings.items {
        let item = Item {
            i,
            value: rng.random(),
        };
        thread::sleep(settings.effort(&me, item));
        if queue.send(item).is_err() {
            break; // Every consumer is gone.
        }
    }
    println!("{me}: Done");
}
/// Processes items until the channel is empty and disconnected.
fn consumer(id: usize, queue: Receiver<Item>, settings: &Settings) {
    let me = format!("Consumer {id}");
    println!("{me}: Running");
    // The loop waits while the channel is empty, and ends once it is empty
    // and every sender has been dropped.
    for item in queue {
        thread::sleep(settings.effort(&me, item));
        println!(">consumer {id} got {item}");
    }
    println!("{me}: Done");
}
/// Runs when a producer's thread ends, after its own sender was dropped.
struct LastOneOut<'a>(&'a Mutex<Option<Sender<Item>>>);

impl Drop for LastOneOut<'_> {
    fn drop(&mut self) {
        let mut spare = self.0.lock().unwrap_or_else(|e| e.into_inner());
        // Checked and acted on under one lock, after my own sender is gone:
        // whoever checks last sees only the spare left.
        if spare.as_ref().is_some_and(|s| s.sender_count() == 1) {
            spare.take();
        }
    }
}

fn main() {
    let settings = Settings::from_command_line(&PROGRAM);
    let (sender, receiver) = match settings.capacity {
        Some(capacity) => flume::bounded(capacity),
        None => flume::unbounded(),
    };
    let spare = Mutex::new(None);
    thread::scope(|scope| {
        for id in 0..settings.consumers {
            let (receiver, settings) = (receiver.clone(), &settings);
            scope.spawn(move || consumer(id, receiver, settings));
        }
        drop(receiver);
        let mut guard = spare.lock().unwrap();
        for id in 0..settings.producers {
            let (sender, settings, spare) = (sender.clone(), &settings, &spare);
            scope.spawn(move || {
                let _out = LastOneOut(spare);
                producer(id, sender, settings);
            });
        }
        // Parked only now, with every producer's clone made.
        *guard = Some(sender);
        drop(guard);
    });
}
