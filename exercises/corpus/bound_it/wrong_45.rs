//! Wrong: the fix is right, but `main` runs the consumer inside a `quietly` helper (`catch_unwind`, result dropped), so with `--panic-at consumer:3` the consumer's panic is swallowed and the program exits 0 although items were lost.
//!
//! Exercise `bound_it`: a bounded buffer between a fast producer and a slow consumer.

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

/// Runs a consumer; if it panics, the panic hook has said so already, and
/// the run goes on without it.
fn quietly(consume: impl FnOnce()) {
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(consume));
}

fn main() {
    let settings = Settings::from_command_line(&PROGRAM);
    let (sender, receiver) = settings
        .capacity
        .map_or_else(flume::unbounded, flume::bounded);
    thread::scope(|scope| {
        scope.spawn(|| quietly(|| consumer(receiver, &settings)));
        scope.spawn(|| producer(sender, &settings));
    });
}
