//! Right: a Producer struct with methods owns its sender and sends the sentinel from a finish method after the last item.
//! Exercise `sentinel`: one producer, one consumer, and a consumer that
//! never learns the end.
//!
//! Both threads borrow the channel's ends from `main`, so the sender is
//! never dropped while the consumer waits: the channel cannot tell it that
//! no more items will come. Run it: the items go through, then it hangs.
//! Make the consumer stop after the last item, with a sentinel, as the
//! tutorial does.
//!
//! Grade it: `cargo xtask exercise sentinel`. Chapter: one producer, one
//! consumer (book/src/one-one.md). Stuck? `exercises/sentinel/hint.md`.

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

struct Producer<'a> {
    queue: Sender<Message>,
    settings: &'a Settings,
}

impl Producer<'_> {
    fn send_item(&self, item: Item) {
        thread::sleep(self.settings.effort("Producer", item));
        self.queue
            .send(Message::Item(item))
            .expect("the consumer is there");
        println!(">producer added {item}");
    }

    fn finish(self) {
        self.queue
            .send(Message::Sentinel)
            .expect("the consumer is there");
    }

    fn run(self) {
        println!("Producer: Running");
        let mut rng = self.settings.rng(0);
        for i in 0..self.settings.items {
            self.send_item(Item {
                i,
                value: rng.random(),
            });
        }
        self.finish();
        println!("Producer: Done");
    }
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
        let producer = Producer {
            queue: sender,
            settings: &settings,
        };
        scope.spawn(|| consumer(&receiver, &settings));
        scope.spawn(move || producer.run());
    });
}
