//! Right: drops its receiver first, then counts itself out of an AtomicUsize of live consumers (a guard counts panicking ones) and passes the sentinel on only if one remains.
use std::sync::atomic::{AtomicUsize, Ordering};

use std::panic::{self, AssertUnwindSafe};
use std::sync::Barrier;
use std::thread;

use common::{Item, Message, Program, Settings};
use flume::{Receiver, Sender};

const PROGRAM: Program = Program {
    name: "last_consumer",
    about: "Exercise: many producers, many consumers, one sentinel passed on",
    producers: 3,
    consumers: 5,
    items: 10,
};
fn producer(id: usize, queue: Sender<Message>, barrier: &Barrier, settings: &Settings) {
    let me = format!("Producer {id}");
    println!("{me}: Running");
    // A producer that panics must still arrive at the barrier, or the
    // others would wait there for ever: catch, arrive, then pass it on.
    let made = panic::catch_unwind(AssertUnwindSafe(|| {
        let mut rng = settings.rng(id);
        for i in 0..settings.items {
            let item = Item {
                i,
                value: rng.random(),
            };
            thread::sleep(settings.effort(&me, item));
            if queue.send(Message::Item(item)).is_err() {
                break; // Every consumer is gone.
            }
        }
    }));
    // The last producer to arrive releases them all; one of them, the
    // barrier's leader, sends the only sentinel.
    if barrier.wait().is_leader() {
        let _ = queue.send(Message::Sentinel);
    }
    if let Err(panic) = made {
        panic::resume_unwind(panic);
    }
    println!("{me}: Done");
}
static LIVE: AtomicUsize = AtomicUsize::new(0);

/// Counts a consumer out if it unwinds before counting itself out.
struct Live(bool);

impl Drop for Live {
    fn drop(&mut self) {
        if !self.0 {
            LIVE.fetch_sub(1, Ordering::AcqRel);
        }
    }
}

fn consumer(id: usize, queue: Receiver<Message>, requeue: Sender<Message>, settings: &Settings) {
    let mut live = Live(false);
    let me = format!("Consumer {id}");
    println!("{me}: Running");
    while let Ok(message) = queue.recv() {
        match message {
            Message::Item(item) => {
                thread::sleep(settings.effort(&me, item));
                println!(">consumer {id} got {item}");
            }
            Message::Sentinel => break,
        }
    }
    // My receiver goes first: a send with no receiver left fails at once.
    drop(queue);
    live.0 = true;
    let others = LIVE.fetch_sub(1, Ordering::AcqRel) - 1;
    if others > 0 {
        let _ = requeue.send(Message::Sentinel);
    }
    println!("{me}: Done");
}
fn main() {
    let settings = Settings::from_command_line(&PROGRAM);
    let (sender, receiver) = match settings.capacity {
        Some(capacity) => flume::bounded(capacity),
        None => flume::unbounded(),
    };
    let barrier = Barrier::new(settings.producers);
    LIVE.store(settings.consumers, Ordering::Release);
    thread::scope(|scope| {
        for id in 0..settings.consumers {
            let (receiver, requeue) = (receiver.clone(), sender.clone());
            let settings = &settings;
            scope.spawn(move || consumer(id, receiver, requeue, settings));
        }
        drop(receiver);
        for id in 0..settings.producers {
            let sender = sender.clone();
            let (barrier, settings) = (&barrier, &settings);
            scope.spawn(move || producer(id, sender, barrier, settings));
        }
        drop(sender);
    });
}
