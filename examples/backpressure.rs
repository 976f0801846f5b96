//! Backpressure: a fast producer and a slow consumer, with a bounded buffer
//! or an unbounded one.
//!
//! The producer makes items ten times faster than the consumer processes
//! them. With `--capacity 100` (the tutorial's `maxsize=100`) the buffer
//! fills up and the producer waits in `send`: it is held back to the
//! consumer's pace. Without a capacity nothing holds it back, and the items
//! pile up in memory. After the run, a report on stderr says how many items
//! waited at most and how long the producer waited.
//!
//! ```text
//! cargo run --example backpressure -- --capacity 100
//! cargo run --example backpressure
//! cargo run --example backpressure -- --help
//! ```

use std::thread;
use std::time::{Duration, Instant};

use common::{Item, Program, Settings};
use flume::{Receiver, Sender};

const PROGRAM: Program = Program {
    name: "backpressure",
    about: "A producer ten times faster than its consumer: a bounded buffer holds it back, \
            an unbounded one lets items pile up",
    producers: 1,
    consumers: 1,
    items: 300,
};

/// The consumer's effort per item, as a share of the tutorial's (which
/// averages half a second): 300 items take about 3 s.
const EFFORT: f64 = 0.02;

/// How much faster the producer is than the consumer.
const FASTER: f64 = 10.0;

// ANCHOR: measure
/// Makes its items and sends them, measuring as it goes: how long each
/// `send` waits for room, and how many items are in the buffer just after.
/// Returns the most items that waited, and the producer's time in `send`.
fn producer(queue: Sender<Item>, settings: &Settings) -> (usize, Duration) {
    println!("Producer: Running");
    let mut rng = settings.rng(0);
    let (mut most_waiting, mut blocked) = (0, Duration::ZERO);
    for i in 0..settings.items {
        let item = Item {
            i,
            value: rng.random(),
        };
        thread::sleep(settings.effort("Producer", item));
        let sending = Instant::now();
        if queue.send(item).is_err() {
            break; // The consumer is gone.
        }
        blocked += sending.elapsed();
        most_waiting = most_waiting.max(queue.len());
        println!(">producer added {item}");
    }
    println!("Producer: Done");
    (most_waiting, blocked)
}
// ANCHOR_END: measure

fn consumer(queue: Receiver<Item>, settings: &Settings) {
    println!("Consumer: Running");
    for item in queue {
        thread::sleep(settings.effort("Consumer", item));
        println!(">consumer got {item}");
    }
    println!("Consumer: Done");
}

// ANCHOR: main
fn main() {
    let settings = Settings::from_command_line(&PROGRAM);
    let (sender, receiver) = match settings.capacity {
        Some(capacity) => flume::bounded(capacity),
        None => flume::unbounded(),
    };
    // The same items, at two speeds.
    let slow = Settings {
        time_scale: settings.time_scale * EFFORT,
        ..settings.clone()
    };
    let fast = Settings {
        time_scale: slow.time_scale / FASTER,
        ..settings.clone()
    };
    let started = Instant::now();
    let (most_waiting, blocked) = thread::scope(|scope| {
        scope.spawn(|| consumer(receiver, &slow));
        let producer = scope.spawn(|| producer(sender, &fast));
        producer
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    });
    let bytes = most_waiting * size_of::<Item>();
    eprintln!(
        "backpressure: at most {most_waiting} items waited in the buffer ({bytes} bytes of \
         {}-byte items); the producer waited {:.2} s in send, in a run of {:.2} s",
        size_of::<Item>(),
        blocked.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
}
// ANCHOR_END: main
