//! Wrong: the sentinel is offered on with send_timeout of twice the longest simulated effort, and dropped if nobody takes it: at --capacity 0 a consumer held up longer than that (descheduled, a slow disk, grading's --stall or a slow --pace) never gets it and waits for ever.

use std::panic::{self, AssertUnwindSafe};
use std::sync::Barrier;
use std::thread;
use std::time::Duration;

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
fn consumer(id: usize, queue: Receiver<Message>, requeue: Sender<Message>, settings: &Settings) {
    let me = format!("Consumer {id}");
    println!("{me}: Running");
    // Longer than any consumer works on one item (an effort is under one
    // second, times the time scale): a sentinel nobody takes in that long
    // has nobody to go to.
    let hand_over = Duration::from_secs_f64(2.0 * settings.time_scale + 0.01);
    while let Ok(message) = queue.recv() {
        match message {
            Message::Item(item) => {
                thread::sleep(settings.effort(&me, item));
                println!(">consumer {id} got {item}");
            }
            Message::Sentinel => {
                let _ = requeue.send_timeout(Message::Sentinel, hand_over);
                break;
            }
        }
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
