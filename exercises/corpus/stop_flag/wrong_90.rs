//! Wrong: before each wait the consumer looks whether the buffer is empty (through a `drained!` macro) and then at the flag, and stops if both hold.
//!
//! Looked at in that order, the producer can send its last item and raise the flag
//! between the two looks: the consumer saw "empty", then "done", and stops with an
//! item in the buffer (lost when no other consumer is left to take it).
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::Duration;

use common::{Item, Program, Settings};
use flume::{Receiver, RecvTimeoutError, Sender};

const PROGRAM: Program = Program {
    name: "stop_flag",
    about: "Exercise: consumers that stop at a flag",
    producers: 1,
    consumers: 3,
    items: 10,
};

/// How long a consumer waits for an item before it looks at the flag.
const TIMEOUT: Duration = Duration::from_millis(5);

fn producer(queue: Sender<Item>, stop: &AtomicBool, settings: &Settings) {
    println!("Producer: Running");
    // Even if making the items panics, the flag goes up before the panic
    // is passed on: the channel never closes here, so without the flag
    // the consumers would wait for ever.
    let made = panic::catch_unwind(AssertUnwindSafe(|| {
        let mut rng = settings.rng(0);
        for i in 0..settings.items {
            let item = Item {
                i,
                value: rng.random(),
            };
            thread::sleep(settings.effort("Producer", item));
            let _ = queue.send(item);
        }
    }));
    stop.store(true, Ordering::Release);
    if let Err(panic) = made {
        panic::resume_unwind(panic);
    }
    println!("Producer: Done");
}

/// Whether the buffer holds nothing right now.
macro_rules! drained {
    ($queue:expr) => {
        $queue.is_empty()
    };
}

fn consumer(id: usize, queue: Receiver<Item>, stop: &AtomicBool, settings: &Settings) {
    let me = format!("Consumer {id}");
    println!("{me}: Running");
    loop {
        // Stop once nothing is left and nothing more will come.
        let empty = drained!(queue);
        if empty && stop.load(Ordering::Acquire) {
            break;
        }
        match queue.recv_timeout(TIMEOUT) {
            Ok(item) => {
                thread::sleep(settings.effort(&me, item));
                println!(">consumer {id} got {item}");
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => break,
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
    let stop = AtomicBool::new(false);
    thread::scope(|scope| {
        for id in 0..settings.consumers {
            let (receiver, stop, settings) = (receiver.clone(), &stop, &settings);
            scope.spawn(move || consumer(id, receiver, stop, settings));
        }
        drop(receiver);
        // `main` keeps a sender until every thread is done, as a program
        // that may add more work would: the channel never closes here.
        scope.spawn(|| producer(sender.clone(), &stop, &settings));
    });
}
