//! Wrong: the fix is right, but `main` runs the consumer inside a `quietly` helper (`catch_unwind`, result dropped), so with `--panic-at consumer:3` the consumer's panic is swallowed and the program exits 0 although items were lost.
//!
//! Exercise `rendezvous`: a producer and a consumer on a bounded buffer.

use std::thread;

use common::{Item, Message, Program, Settings};
use flume::{Receiver, Sender};

const PROGRAM: Program = Program {
    name: "rendezvous",
    about: "Exercise: a producer and a consumer on a bounded buffer",
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
            break;
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

/// Runs `a` and `b` at the same time, each on a thread of its own, and
/// returns when both have ended (a panic in either is passed on).
fn side_by_side<A, B>(a: A, b: B)
where
    A: FnOnce() + Send,
    B: FnOnce() + Send,
{
    thread::scope(|scope| {
        scope.spawn(a);
        scope.spawn(b);
    });
}

/// Runs a consumer; if it panics, the panic hook has said so already, and
/// the run goes on without it.
fn quietly(consume: impl FnOnce()) {
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(consume));
}

fn main() {
    let settings = Settings::from_command_line(&PROGRAM);
    let (sender, receiver) = match settings.capacity {
        Some(capacity) => flume::bounded(capacity),
        None => flume::unbounded(),
    };
    side_by_side(
        || quietly(|| consumer(receiver, &settings)),
        || producer(sender, &settings),
    );
}
