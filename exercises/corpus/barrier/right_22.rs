//! Right: a Mutex<usize> + Condvar: every producer checks in; producer 0 waits until all have, then sends the sentinel.
use std::panic::{self, AssertUnwindSafe};
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

struct Finish {
    done: Mutex<usize>,
    all_done: Condvar,
    of: usize,
}

impl Finish {
    fn arrive(&self) {
        let mut done = self.done.lock().unwrap_or_else(|e| e.into_inner());
        *done += 1;
        if *done == self.of {
            self.all_done.notify_all();
        }
    }

    fn wait_all(&self) {
        let done = self.done.lock().unwrap_or_else(|e| e.into_inner());
        let _all = self
            .all_done
            .wait_while(done, |done| *done < self.of)
            .unwrap_or_else(|e| e.into_inner());
    }
}

fn producer(id: usize, queue: Sender<Message>, finish: &Finish, settings: &Settings) {
    let me = format!("Producer {id}");
    println!("{me}: Running");
    let made = panic::catch_unwind(AssertUnwindSafe(|| {
        let mut rng = settings.rng(id);
        for i in 0..settings.items {
            let item = Item {
                i,
                value: rng.random(),
            };
            thread::sleep(settings.effort(&me, item));
            if queue.send(Message::Item(item)).is_err() {
                break; // The consumer is gone.
            }
        }
    }));
    finish.arrive();
    if id == 0 {
        finish.wait_all();
        let _ = queue.send(Message::Sentinel);
    }
    if let Err(panic) = made {
        panic::resume_unwind(panic);
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
    let finish = Finish {
        done: Mutex::new(0),
        all_done: Condvar::new(),
        of: settings.producers,
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
