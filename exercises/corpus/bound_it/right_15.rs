//! Right: a generic helper fn channel<T>(Option<usize>) with an early return, and Arc'd settings with plain spawns joined by hand.
use std::sync::Arc;

use std::thread;
use std::time::Duration;

use common::{Item, Message, Program, Settings};
use flume::{Receiver, Sender};

const PROGRAM: Program = Program {
    name: "bound_it",
    about: "Exercise: a bounded buffer between a fast producer and a slow consumer",
    producers: 1,
    consumers: 1,
    items: 10,
};

/// What the consumer spends on each item, beyond its simulated effort:
/// it writes each one to a slow disk, say.
const SLOW: Duration = Duration::from_millis(2);

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
        thread::sleep(SLOW);
        println!(">consumer got {item}");
    }
    println!("Consumer: Done");
}
/// A channel bounded to `capacity` items if given, unbounded if not.
fn channel<T>(capacity: Option<usize>) -> (Sender<T>, Receiver<T>) {
    if let Some(slots) = capacity {
        return flume::bounded(slots);
    }
    flume::unbounded()
}

fn main() {
    let settings = Arc::new(Settings::from_command_line(&PROGRAM));
    let (sender, receiver) = channel::<Message>(settings.capacity);
    let handles = [
        {
            let settings = Arc::clone(&settings);
            thread::spawn(move || consumer(receiver, &settings))
        },
        {
            let settings = Arc::clone(&settings);
            thread::spawn(move || producer(sender, &settings))
        },
    ];
    let failed: Vec<_> = handles.into_iter().filter_map(|h| h.join().err()).collect();
    if let Some(panic) = failed.into_iter().next() {
        std::panic::resume_unwind(panic);
    }
}
