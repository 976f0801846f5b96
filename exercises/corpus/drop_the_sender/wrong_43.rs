//! Wrong: the barrier's leader may take `main`'s sender out of the `Mutex` before `main` has parked it there; `main` then parks it and nobody drops it: the consumers wait for ever.
use std::panic::{self, AssertUnwindSafe};
use std::sync::{Barrier, Mutex};

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
fn main() {
    let settings = Settings::from_command_line(&PROGRAM);
    let (sender, receiver) = match settings.capacity {
        Some(capacity) => flume::bounded(capacity),
        None => flume::unbounded(),
    };
    let all_done = Barrier::new(settings.producers);
    let parked = Mutex::new(None::<Sender<Item>>);
    thread::scope(|scope| {
        for id in 0..settings.consumers {
            let (receiver, settings) = (receiver.clone(), &settings);
            scope.spawn(move || consumer(id, receiver, settings));
        }
        drop(receiver);
        for id in 0..settings.producers {
            let sender = sender.clone();
            let (settings, all_done, parked) = (&settings, &all_done, &parked);
            scope.spawn(move || {
                let made = panic::catch_unwind(AssertUnwindSafe(|| producer(id, sender, settings)));
                if all_done.wait().is_leader() {
                    let mut parked = parked.lock().unwrap_or_else(|e| e.into_inner());
                    drop(parked.take());
                }
                if let Err(panic) = made {
                    panic::resume_unwind(panic);
                }
            });
        }
        // Park main's sender before any producer can reach the barrier's end?
        // No need: the lock orders it. Park it now; the leader drops it.
        let mut slot = parked.lock().unwrap_or_else(|e| e.into_inner());
        *slot = Some(sender);
    });
}
