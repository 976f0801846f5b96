//! Wrong: `main` parks its sender in a `Mutex<Option<_>>` for the last producer to drop, but only after it has started the producers.
//!
//! If the last producer finishes before `main` parks the sender (no items, or a
//! slow `main`), it finds nothing to drop, and the parked sender keeps the channel
//! open for ever: the consumers hang. With no producers at all it is never dropped.
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
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
fn producer(
    id: usize,
    queue: Sender<Item>,
    parked: &Mutex<Option<Sender<Item>>>,
    finished: &AtomicUsize,
    settings: &Settings,
) {
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
    // The last producer to finish also drops main's sender, parked for it.
    if finished.fetch_add(1, Ordering::AcqRel) + 1 == settings.producers {
        drop(parked.lock().expect("the parked sender").take());
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
fn main() {
    let settings = Settings::from_command_line(&PROGRAM);
    let (sender, receiver) = match settings.capacity {
        Some(capacity) => flume::bounded(capacity),
        None => flume::unbounded(),
    };
    let parked = Mutex::new(None);
    let finished = AtomicUsize::new(0);
    thread::scope(|scope| {
        for id in 0..settings.consumers {
            let (receiver, settings) = (receiver.clone(), &settings);
            scope.spawn(move || consumer(id, receiver, settings));
        }
        for id in 0..settings.producers {
            let (sender, settings) = (sender.clone(), &settings);
            let (parked, finished) = (&parked, &finished);
            scope.spawn(move || producer(id, sender, parked, finished, settings));
        }
        // Hand main's sender to the producers: the last one drops it.
        *parked.lock().expect("the parked sender") = Some(sender);
        drop(receiver);
    });
}
