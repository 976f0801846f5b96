//! Wrong: an RAII guard drops the receiver and puts a sentinel back when the consumer ends, even when it ends by panicking, so `--panic-at consumer:2` injects a second sentinel and the other consumers stop with items still unprocessed.
//!
//! Exercise `pass_it_on` (learner's answer): "whatever happens, the
//! sentinel is passed on".

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

/// Holds a consumer's receiver; when dropped, lets go of it and passes
/// the sentinel on, whatever way the consumer leaves.
struct PassOn {
    queue: Option<Receiver<Message>>,
    requeue: Sender<Message>,
}

impl PassOn {
    fn queue(&self) -> &Receiver<Message> {
        self.queue.as_ref().expect("held until drop")
    }
}

impl Drop for PassOn {
    fn drop(&mut self) {
        drop(self.queue.take());
        let _ = self.requeue.send(Message::Sentinel);
    }
}

fn consumer(id: usize, queue: Receiver<Message>, requeue: Sender<Message>, settings: &Settings) {
    let me = format!("Consumer {id}");
    println!("{me}: Running");
    let ends = PassOn {
        queue: Some(queue),
        requeue,
    };
    while let Ok(message) = ends.queue().recv() {
        match message {
            Message::Item(item) => {
                thread::sleep(settings.effort(&me, item));
                println!(">consumer {id} got {item}");
            }
            Message::Sentinel => break,
        }
    }
    drop(ends);
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
