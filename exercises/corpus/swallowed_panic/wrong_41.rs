//! Wrong: as right_4 but the recording panic hook is installed after the threads start: a thread that panics at once (--panic-at producer:0) is missed, exit 0.
use std::sync::atomic::{AtomicBool, Ordering};

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
static SOME_THREAD_PANICKED: AtomicBool = AtomicBool::new(false);

fn main() {
    let settings = Settings::from_command_line(&PROGRAM);
    let (sender, receiver) = match settings.capacity {
        Some(capacity) => flume::bounded(capacity),
        None => flume::unbounded(),
    };
    let for_consumer = settings.clone();
    let consumer = thread::spawn(move || consumer(receiver, &for_consumer));
    let for_producer = settings.clone();
    let producer = thread::spawn(move || producer(sender, &for_producer));
    let report = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        SOME_THREAD_PANICKED.store(true, Ordering::SeqCst);
        report(info);
    }));
    for thread in [consumer, producer] {
        let _ = thread.join();
    }
    if SOME_THREAD_PANICKED.load(Ordering::SeqCst) {
        std::process::exit(101);
    }
}
