//! Right: consumers keep a shared atomic count of those still running (an RAII guard decrements it, also on a panic); the one holding the sentinel offers it with short `send_timeout`s until another consumer takes it or none is left, so it never waits on itself.
//!
//! Exercise `pass_it_on`: one sentinel, passed from consumer to consumer.

use std::panic::{self, AssertUnwindSafe};
use std::thread;

use common::{Item, Message, Program, Settings};
use flume::{Receiver, Sender};

const PROGRAM: Program = Program {
    name: "pass_it_on",
    about: "Exercise: one producer, many consumers, one sentinel",
    producers: 1,
    consumers: 3,
    items: 10,
};

fn producer(queue: Sender<Message>, settings: &Settings) {
    println!("Producer: Running");
    // Even if making the items panics, the sentinel goes out before the
    // panic is passed on: the consumers hold senders, so the channel never
    // closes by itself, and without it they would wait for ever.
    let made = panic::catch_unwind(AssertUnwindSafe(|| {
        let mut rng = settings.rng(0);
        for i in 0..settings.items {
            let item = Item {
                i,
                value: rng.random(),
            };
            thread::sleep(settings.effort("Producer", item));
            let _ = queue.send(Message::Item(item));
        }
    }));
    let _ = queue.send(Message::Sentinel);
    if let Err(panic) = made {
        panic::resume_unwind(panic);
    }
    println!("Producer: Done");
}

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// Counts a consumer as running until it is dropped, however it ends.
struct Running<'a>(&'a AtomicUsize);

impl Drop for Running<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

fn consumer(
    id: usize,
    queue: Receiver<Message>,
    requeue: Sender<Message>,
    running: &AtomicUsize,
    settings: &Settings,
) {
    let me = format!("Consumer {id}");
    println!("{me}: Running");
    let guard = Running(running);
    let mut saw_sentinel = false;
    while let Ok(message) = queue.recv() {
        match message {
            Message::Item(item) => {
                thread::sleep(settings.effort(&me, item));
                println!(">consumer {id} got {item}");
            }
            Message::Sentinel => {
                saw_sentinel = true;
                break;
            }
        }
    }
    // No longer one of the consumers that will read.
    drop(guard);
    if saw_sentinel {
        // Another consumer still running will come to `recv` (or end, and
        // be counted out): offer the sentinel until one takes it.
        let mut message = Message::Sentinel;
        while running.load(Ordering::Acquire) > 0 {
            match requeue.send_timeout(message, Duration::from_millis(10)) {
                Ok(()) => break,
                Err(flume::SendTimeoutError::Timeout(back)) => message = back,
                Err(flume::SendTimeoutError::Disconnected(_)) => break,
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
    let running = AtomicUsize::new(settings.consumers);
    thread::scope(|scope| {
        for id in 0..settings.consumers {
            let (receiver, requeue) = (receiver.clone(), sender.clone());
            let (running, settings) = (&running, &settings);
            scope.spawn(move || consumer(id, receiver, requeue, running, settings));
        }
        drop(receiver);
        scope.spawn(|| producer(sender, &settings));
    });
}
