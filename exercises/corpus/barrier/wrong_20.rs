//! Wrong: each producer announces itself finished (Mutex count + Condvar) once its last item is made but before that item's send; producer 0 can be woken and send the sentinel while another producer is between its announce and its last send, and that item is lost.
//!
//! Exercise `barrier`: three producers, one consumer, and a sentinel sent
//! too early.
//!
//! Producer 0 sends the sentinel as soon as its own items are out. But the
//! other producers may still be making theirs: the consumer stops at the
//! sentinel, and their items are never processed. It passes some runs and
//! fails others. Send one sentinel, from one producer, once every producer
//! is done.
//!
//! Grade it: `cargo xtask exercise barrier`. Chapter: many producers, one
//! consumer (book/src/many-one.md). Stuck? `exercises/barrier/hint.md`.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex};
use std::thread;

use common::{Item, Message, Program, Settings};
use flume::{Receiver, Sender};

const PROGRAM: Program = Program {
    name: "barrier",
    about: "Exercise: many producers, one consumer, one sentinel",
    producers: 3,
    consumers: 1,
    items: 5,
};

/// How many producers are on their last item, and a bell for producer 0.
struct Finish {
    count: Mutex<usize>,
    bell: Condvar,
}

impl Finish {
    fn announce(&self) {
        *self.count.lock().unwrap() += 1;
        self.bell.notify_all();
    }

    fn wait_for(&self, producers: usize) {
        let mut count = self.count.lock().unwrap();
        while *count < producers {
            count = self.bell.wait(count).unwrap();
        }
    }
}

fn producer(id: usize, queue: Sender<Message>, finish: &Finish, settings: &Settings) {
    let me = format!("Producer {id}");
    println!("{me}: Running");
    let mut rng = settings.rng(id);
    for i in 0..settings.items {
        let item = Item {
            i,
            value: rng.random(),
        };
        thread::sleep(settings.effort(&me, item));
        if i + 1 == settings.items {
            // The last item is made: only its send is left.
            finish.announce();
        }
        if queue.send(Message::Item(item)).is_err() {
            break; // The consumer is gone.
        }
    }
    if id == 0 {
        finish.wait_for(settings.producers);
        let _ = queue.send(Message::Sentinel);
    }
    println!("{me}: Done");
}

fn consumer(queue: Receiver<Message>, settings: &Settings) {
    println!("Consumer: Running");
    loop {
        // Only the sentinel ends the stream: if the channel closes first,
        // every producer has ended and none sent it.
        let message = queue.recv().expect("no producer sent the sentinel");
        match message {
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
    let _unused = AtomicUsize::new(0).load(Ordering::Acquire);
    let finish = Finish {
        count: Mutex::new(0),
        bell: Condvar::new(),
    };
    thread::scope(|scope| {
        scope.spawn(|| consumer(receiver, &settings));
        for id in 0..settings.producers {
            let (sender, settings, finish) = (sender.clone(), &settings, &finish);
            scope.spawn(move || producer(id, sender, finish, settings));
        }
        drop(sender);
    });
}
