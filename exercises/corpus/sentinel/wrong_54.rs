//! Wrong: the sentinel goes out with `try_send`, which drops it when the buffer is full (or, at `--capacity 0`, when the consumer is busy with the last item), so the consumer then waits for ever.
//!
//! Exercise `sentinel` (learner's answer): "the producer must not block on
//! its way out".

use std::thread;

use common::{Item, Message, Program, Settings};
use flume::{Receiver, Sender};

const PROGRAM: Program = Program {
    name: "sentinel",
    about: "Exercise: one producer, one consumer, and the end of the items",
    producers: 1,
    consumers: 1,
    items: 10,
};

struct Outbox<'a> {
    queue: &'a Sender<Message>,
}

impl Outbox<'_> {
    fn put(&self, item: Item) {
        self.queue
            .send(Message::Item(item))
            .expect("the consumer is there");
    }

    /// Says "no more items" without ever waiting: the producer is done.
    fn finish(self) {
        let _ = self.queue.try_send(Message::Sentinel);
    }
}

fn producer(queue: &Sender<Message>, settings: &Settings) {
    println!("Producer: Running");
    let outbox = Outbox { queue };
    let mut rng = settings.rng(0);
    for i in 0..settings.items {
        let item = Item {
            i,
            value: rng.random(),
        };
        thread::sleep(settings.effort("Producer", item));
        outbox.put(item);
        println!(">producer added {item}");
    }
    outbox.finish();
    println!("Producer: Done");
}

fn consumer(queue: &Receiver<Message>, settings: &Settings) {
    println!("Consumer: Running");
    loop {
        match queue.recv().expect("the producer's sender lives in main") {
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
    thread::scope(|scope| {
        scope.spawn(|| consumer(&receiver, &settings));
        scope.spawn(|| producer(&sender, &settings));
    });
}
