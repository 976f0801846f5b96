//! Wrong: `main` hands its sender to the last producer (fixed), but the producers count their items in a `u16` type alias, so with `--items 65537` each makes one item instead of 65537.
//!
//! Exercise `drop_the_sender`: no sentinel; the channel closes when every sender is gone.

use std::thread;

use common::{Item, Program, Settings};
use flume::{Receiver, Sender};

const PROGRAM: Program = Program {
    name: "drop_the_sender",
    about: "Exercise: the end of the items without a sentinel",
    producers: 3,
    consumers: 5,
    items: 10,
};
/// Makes its items and sends them. Returning drops `queue`, this
/// producer's `Sender`: that is its whole shutdown.
fn producer(id: usize, queue: Sender<Item>, settings: &Settings) {
    let me = format!("Producer {id}");
    println!("{me}: Running");
    let mut rng = settings.rng(id);
    for i in 0..settings.items as Count {
        let i = usize::from(i);
        let item = Item {
            i,
            value: rng.random(),
        };
        thread::sleep(settings.effort(&me, item));
        if queue.send(item).is_err() {
            break; // Every consumer is gone.
        }
    }
    println!("{me}: Done");
}
/// Processes items until the channel is empty and disconnected.
fn consumer(id: usize, queue: Receiver<Item>, settings: &Settings) {
    let me = format!("Consumer {id}");
    println!("{me}: Running");
    // The loop waits while the channel is empty, and ends once it is empty
    // and every sender has been dropped.
    for item in queue {
        thread::sleep(settings.effort(&me, item));
        println!(">consumer {id} got {item}");
    }
    println!("{me}: Done");
}
use std::iter;

/// Items a producer makes: a few thousand at most.
type Count = u16;

fn main() {
    let settings = Settings::from_command_line(&PROGRAM);
    let (sender, receiver) = match settings.capacity {
        Some(capacity) => flume::bounded(capacity),
        None => flume::unbounded(),
    };
    thread::scope(|scope| {
        for id in 0..settings.consumers {
            let (receiver, settings) = (receiver.clone(), &settings);
            scope.spawn(move || consumer(id, receiver, settings));
        }
        // The last producer gets the original: main keeps none.
        for (id, sender) in iter::repeat_n(sender, settings.producers).enumerate() {
            let settings = &settings;
            scope.spawn(move || producer(id, sender, settings));
        }
        drop(receiver);
    });
}
