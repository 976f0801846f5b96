//! Wrong: the consumer is a struct whose `finish(&self)` method passes the sentinel on while the struct still holds its `Receiver`, so at `--capacity 0` the last consumer waits for itself for ever.
//!
//! Exercise `pass_it_on` (learner's answer).

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

/// One consumer: its two ends, and who it is.
struct Worker<'a> {
    id: usize,
    queue: Receiver<Message>,
    requeue: Sender<Message>,
    settings: &'a Settings,
}

impl Worker<'_> {
    /// Processes items until the sentinel.
    fn work(&self) {
        let me = format!("Consumer {}", self.id);
        while let Ok(message) = self.queue.recv() {
            match message {
                Message::Item(item) => {
                    thread::sleep(self.settings.effort(&me, item));
                    println!(">consumer {} got {item}", self.id);
                }
                Message::Sentinel => break,
            }
        }
    }

    /// Puts the sentinel back for the next consumer.
    fn finish(&self) {
        let _ = self.requeue.send(Message::Sentinel);
    }
}

fn consumer(id: usize, queue: Receiver<Message>, requeue: Sender<Message>, settings: &Settings) {
    let me = format!("Consumer {id}");
    println!("{me}: Running");
    let worker = Worker {
        id,
        queue,
        requeue,
        settings,
    };
    worker.work();
    worker.finish();
    println!("{me}: Done");
}

fn main() {
    let settings = Settings::from_command_line(&PROGRAM);
    let (sender, receiver) = match settings.capacity {
        Some(capacity) => flume::bounded(capacity),
        None => flume::unbounded(),
    };
    thread::scope(|scope| {
        for id in 0..settings.consumers {
            let (receiver, requeue) = (receiver.clone(), sender.clone());
            let settings = &settings;
            scope.spawn(move || consumer(id, receiver, requeue, settings));
        }
        drop(receiver);
        scope.spawn(|| producer(sender, &settings));
    });
}
