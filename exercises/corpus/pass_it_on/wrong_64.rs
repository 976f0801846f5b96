//! Wrong: the sentinel is passed on with send_timeout(50 ms), and a timeout is taken to mean nobody is left; at --capacity 0, when another consumer is still busy with an item for longer than 50 ms, the sentinel is dropped and that consumer waits for ever (hang).

use std::panic::{self, AssertUnwindSafe};
use std::thread;
use std::time::Duration;

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

/// How long to offer the sentinel to the others before deciding that
/// nobody is left to take it.
const HAND_OVER: Duration = Duration::from_millis(50);

fn consumer(id: usize, queue: Receiver<Message>, requeue: Sender<Message>, settings: &Settings) {
    let me = format!("Consumer {id}");
    println!("{me}: Running");
    while let Ok(message) = queue.recv() {
        match message {
            Message::Item(item) => {
                thread::sleep(settings.effort(&me, item));
                println!(">consumer {id} got {item}");
            }
            Message::Sentinel => {
                // Offer it on; if nobody takes it in time, I was the last.
                let _ = requeue.send_timeout(Message::Sentinel, HAND_OVER);
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
