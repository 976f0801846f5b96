//! Wrong: the channel stays unbounded and the producer instead waits while `queue.len()` is at least `max(N, 1)`, which bounds N >= 1 but turns `--capacity 0` into one slot: the producer never hands an item over directly.
//!
//! Exercise `bound_it` (learner's answer).

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

/// A buffer needs room for at least one item.
const MIN_ROOM: usize = 1;

/// Waits while the buffer holds `room` items or more.
fn wait_for_room(queue: &Sender<Message>, room: Option<usize>) {
    if let Some(room) = room {
        while queue.len() >= room.max(MIN_ROOM) && queue.receiver_count() > 0 {
            thread::sleep(Duration::from_micros(200));
        }
    }
}

fn producer(queue: Sender<Message>, settings: &Settings) {
    println!("Producer: Running");
    let mut rng = settings.rng(0);
    for i in 0..settings.items {
        let item = Item {
            i,
            value: rng.random(),
        };
        thread::sleep(settings.effort("Producer", item));
        wait_for_room(&queue, settings.capacity);
        if queue.send(Message::Item(item)).is_err() {
            break; // The consumer is gone.
        }
        println!(">producer added {item}");
    }
    wait_for_room(&queue, settings.capacity);
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

fn main() {
    let settings = Settings::from_command_line(&PROGRAM);
    let (sender, receiver) = flume::unbounded();
    thread::scope(|scope| {
        scope.spawn(|| consumer(receiver, &settings));
        scope.spawn(|| producer(sender, &settings));
    });
}
