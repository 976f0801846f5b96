//! Right: the buffer is a std channel, `mpsc::sync_channel(n)` when `--capacity n` is given (0 is a rendezvous there too) and `mpsc::channel()` otherwise, behind a small `Outbox` enum with one `send` method.
//!
//! Exercise `bound_it`: a bounded buffer between a fast producer and a slow consumer.

use std::thread;
use std::time::Duration;

use common::{Item, Message, Program, Settings};

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
use std::sync::mpsc;

/// The producer's end of either kind of std channel.
enum Outbox {
    Bounded(mpsc::SyncSender<Message>),
    Unbounded(mpsc::Sender<Message>),
}

impl Outbox {
    /// Sends `message`, waiting for room if the buffer is bounded and full;
    /// fails once the consumer is gone.
    fn send(&self, message: Message) -> Result<(), mpsc::SendError<Message>> {
        match self {
            Outbox::Bounded(sender) => sender.send(message),
            Outbox::Unbounded(sender) => sender.send(message),
        }
    }
}

fn channel(capacity: Option<usize>) -> (Outbox, mpsc::Receiver<Message>) {
    match capacity {
        Some(n) => {
            let (sender, receiver) = mpsc::sync_channel(n);
            (Outbox::Bounded(sender), receiver)
        }
        None => {
            let (sender, receiver) = mpsc::channel();
            (Outbox::Unbounded(sender), receiver)
        }
    }
}

fn producer(queue: Outbox, settings: &Settings) {
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

fn consumer(queue: mpsc::Receiver<Message>, settings: &Settings) {
    println!("Consumer: Running");
    while let Ok(Message::Item(item)) = queue.recv() {
        thread::sleep(settings.effort("Consumer", item));
        thread::sleep(SLOW);
        println!(">consumer got {item}");
    }
    println!("Consumer: Done");
}

fn main() {
    let settings = Settings::from_command_line(&PROGRAM);
    let (sender, receiver) = channel(settings.capacity);
    thread::scope(|scope| {
        scope.spawn(|| consumer(receiver, &settings));
        scope.spawn(|| producer(sender, &settings));
    });
}
