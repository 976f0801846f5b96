//! One producer, many consumers, stopped by a shared flag instead of a
//! sentinel: the tutorial's `threading.Event` alternative. Consumers wait
//! for items with a timeout, and look at the flag each time a wait runs out.
//!
//! ```text
//! cargo run --example event_timeout
//! cargo run --example event_timeout -- --consumers 5 --seed 7 --time-scale 0.1
//! cargo run --example event_timeout -- --timeout 10
//! cargo run --example event_timeout -- --help
//! ```

use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::Duration;

use common::{Item, Program, Settings};
use flume::{Receiver, RecvTimeoutError, Sender};

const PROGRAM: Program = Program {
    name: "event_timeout",
    about: "One producer, many consumers: a stop flag that consumers check whenever a wait \
            for an item times out",
    producers: 1,
    consumers: 3,
    items: 10,
};

// ANCHOR: flags
/// The flags every program takes, and this one's own: the timeout.
#[derive(clap::Parser)]
struct Args {
    #[command(flatten)]
    settings: Settings,
    /// How long a consumer waits for an item before it looks at the stop
    /// flag, in milliseconds (times --time-scale, at least one)
    #[arg(
        long,
        value_name = "MS",
        default_value_t = 100,
        allow_hyphen_values = true
    )]
    #[arg(value_parser = clap::value_parser!(u64).range(1..=60_000))]
    timeout: u64,
}

// Lets `common` check the shared settings and print the seed.
impl AsRef<Settings> for Args {
    fn as_ref(&self) -> &Settings {
        &self.settings
    }
}
// ANCHOR_END: flags

// ANCHOR: producer
/// Makes its items, then sets the stop flag (the tutorial's `event.set()`).
fn producer(queue: Sender<Item>, stop: &AtomicBool, settings: &Settings) {
    println!("Producer: Running");
    // Even if making the items panics, the flag must be set: the channel
    // never closes here, so without it the consumers would poll for ever.
    let made = panic::catch_unwind(AssertUnwindSafe(|| {
        let mut rng = settings.rng(0);
        for i in 0..settings.items {
            let item = Item {
                i,
                value: rng.random(),
            };
            thread::sleep(settings.effort("Producer", item));
            if queue.send(item).is_err() {
                break; // Every consumer is gone.
            }
        }
    }));
    // `Release` here and `Acquire` in the consumers: whoever sees the flag
    // also sees every item sent before it was set.
    stop.store(true, Ordering::Release);
    if let Err(panic) = made {
        panic::resume_unwind(panic);
    }
    println!("Producer: Done");
}
// ANCHOR_END: producer

// ANCHOR: consumer
/// Processes items, and each time a wait runs out, looks at the flag.
/// Returns how many times it woke up to find no item.
fn consumer(id: usize, queue: Receiver<Item>, stop: &AtomicBool, args: &Args) -> usize {
    let (me, settings) = (format!("Consumer {id}"), &args.settings);
    println!("{me}: Running");
    let seconds = args.timeout as f64 / 1000.0 * settings.time_scale;
    let timeout = Duration::from_secs_f64(seconds.max(0.001));
    let mut idle_wakeups = 0;
    loop {
        match queue.recv_timeout(timeout) {
            Ok(item) => {
                thread::sleep(settings.effort(&me, item));
                println!(">consumer {id} got {item}");
            }
            Err(RecvTimeoutError::Timeout) => {
                idle_wakeups += 1;
                if stop.load(Ordering::Acquire) {
                    // The producer sent its last items before it set the
                    // flag: take whatever is still buffered, then stop.
                    for item in queue.try_iter() {
                        thread::sleep(settings.effort(&me, item));
                        println!(">consumer {id} got {item}");
                    }
                    break;
                }
            }
            Err(RecvTimeoutError::Disconnected) => break,
        }
    }
    println!("{me}: Done");
    idle_wakeups
}
// ANCHOR_END: consumer

// ANCHOR: main
fn main() {
    let args: Args = common::read_command_line(&PROGRAM);
    let settings = &args.settings;
    let (sender, receiver) = match settings.capacity {
        Some(capacity) => flume::bounded(capacity),
        None => flume::unbounded(),
    };
    let stop = AtomicBool::new(false);
    let idle_wakeups: usize = thread::scope(|scope| {
        let consumers: Vec<_> = (0..settings.consumers)
            .map(|id| {
                let (receiver, stop, args) = (receiver.clone(), &stop, &args);
                scope.spawn(move || consumer(id, receiver, stop, args))
            })
            .collect();
        // Only the consumers receive: if they all panic, `send` fails and
        // the producer stops, instead of waiting for a reader for ever.
        drop(receiver);
        // `main` keeps `sender`, as Python's shared queue stays open: the
        // channel never closes, so only the flag can stop the consumers.
        let for_producer = sender.clone();
        scope.spawn(|| producer(for_producer, &stop, settings));
        consumers
            .into_iter()
            .map(|c| c.join().unwrap_or_else(|e| panic::resume_unwind(e)))
            .sum()
    });
    drop(sender);
    // What polling cost: each of these was a thread woken for nothing.
    eprintln!("event_timeout: the consumers woke {idle_wakeups} times to find no item");
}
// ANCHOR_END: main
