//! Right: handles are joined by a helper fn that returns whether any thread panicked; a panicking thread bumps an AtomicUsize in a Drop guard; main reads it only after the joins.
use std::sync::atomic::{AtomicUsize, Ordering};

use std::thread;

use common::{Item, Message, Program, Settings};
use flume::{Receiver, Sender};

const PROGRAM: Program = Program {
    name: "swallowed_panic",
    about: "Exercise: a consumer's panic that must not go unheard",
    producers: 1,
    consumers: 1,
    items: 10,
};

fn producer(queue: Sender<Message>, settings: &Settings) {
    println!("Producer: Running");
    let mut rng = settings.rng(0);
    for i in 0..settings.items {
        let item = Item {
            i,
            value: rng.random(),
        };
        thread::sleep(settings.effort("Producer", item));
        if queue.send(Message::Item(item)).is_err() {
            break; // The consumer is gone.
        }
        println!(">producer added {item}");
    }
    let _ = queue.send(Message::Sentinel);
    println!("Producer: Done");
}

fn consumer(queue: Receiver<Message>, settings: &Settings) {
    println!("Consumer: Running");
    while let Ok(Message::Item(item)) = queue.recv() {
        thread::sleep(settings.effort("Consumer", item));
        println!(">consumer got {item}");
    }
    println!("Consumer: Done");
}
static FAILED: AtomicUsize = AtomicUsize::new(0);

/// Counts its thread as failed if the thread unwinds through it.
struct FailureCount;

impl Drop for FailureCount {
    fn drop(&mut self) {
        if thread::panicking() {
            FAILED.fetch_add(1, Ordering::SeqCst);
        }
    }
}

/// Waits for every thread; the number that panicked.
fn wait_for_all(handles: Vec<thread::JoinHandle<()>>) -> usize {
    handles
        .into_iter()
        .map(|h| usize::from(h.join().is_err()))
        .sum()
}

fn main() {
    let settings = Settings::from_command_line(&PROGRAM);
    let (sender, receiver) = match settings.capacity {
        Some(capacity) => flume::bounded(capacity),
        None => flume::unbounded(),
    };
    let for_consumer = settings.clone();
    let consumer = thread::spawn(move || {
        let _count = FailureCount;
        consumer(receiver, &for_consumer);
    });
    let for_producer = settings.clone();
    let producer = thread::spawn(move || {
        let _count = FailureCount;
        producer(sender, &for_producer);
    });
    let joined_failures = wait_for_all(vec![consumer, producer]);
    // Both threads are joined: the counter is final.
    if joined_failures > 0 || FAILED.load(Ordering::SeqCst) > 0 {
        std::process::exit(101);
    }
}
