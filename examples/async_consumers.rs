//! One channel, two worlds: producers are ordinary threads that block in
//! `send`, and consumers are async tasks that `.await` in `recv_async`, all
//! on a single thread of a tokio runtime.
//!
//! A flume channel has both a blocking and an async API on the same
//! `Sender` and `Receiver`, so nothing else is needed to bridge them. The
//! shutdown is the disconnection one: the producers drop their senders, and
//! each consumer's `recv_async` returns an error once the buffer is empty.
//!
//! ```text
//! cargo run --example async_consumers
//! cargo run --example async_consumers -- --consumers 1000 --items 100 --time-scale 0.01
//! cargo run --example async_consumers -- --help
//! ```

use std::thread;
use std::time::Duration;

use common::{Item, Program, Settings};
use flume::{Receiver, Sender};

const PROGRAM: Program = Program {
    name: "async_consumers",
    about: "Producers are threads, consumers are async tasks on one thread of a tokio runtime; \
            one flume channel connects them",
    producers: 3,
    consumers: 5,
    items: 10,
};

/// A thread, as in the disconnection example.
fn producer(id: usize, queue: Sender<Item>, settings: &Settings) {
    let me = format!("Producer {id}");
    println!("{me}: Running");
    let mut rng = settings.rng(id);
    for i in 0..settings.items {
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

// ANCHOR: consumer
/// An async task: waits for items without holding a thread, until the
/// channel is empty and every producer is gone.
async fn consumer(id: usize, queue: Receiver<Item>, settings: &Settings) {
    let me = format!("Consumer {id}");
    println!("{me}: Running");
    while let Ok(item) = queue.recv_async().await {
        work_on(&me, item, settings).await;
        println!(">consumer {id} got {item}");
    }
    println!("{me}: Done");
}

/// The effort, for a task: `tokio::time::sleep`, not `thread::sleep`, which would block the thread every task shares.
async fn work_on(me: &str, item: Item, settings: &Settings) {
    // `effort` panics first, if `--panic-at` asks this task to.
    let effort = settings.effort(me, item);
    // tokio's timer ticks once a millisecond, and even a zero-length sleep
    // waits for the next tick: so round the effort to whole milliseconds,
    // and when that is none, only let the other tasks take their turn.
    let millis = (effort.as_secs_f64() * 1000.0).round();
    if millis >= 1.0 {
        tokio::time::sleep(Duration::from_millis(millis as u64)).await;
    } else {
        tokio::task::yield_now().await;
    }
}
// ANCHOR_END: consumer

// ANCHOR: main
fn main() {
    let settings = Settings::from_command_line(&PROGRAM);
    let (sender, receiver) = match settings.capacity {
        Some(capacity) => flume::bounded(capacity),
        None => flume::unbounded(),
    };
    // One thread runs every consumer: a task waiting for an item costs a
    // few bytes, not a thread.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a tokio runtime (it only needs a timer)");
    thread::scope(|scope| {
        for id in 0..settings.producers {
            let (sender, settings) = (sender.clone(), &settings);
            scope.spawn(move || producer(id, sender, settings));
        }
        drop(sender);
        // The tasks run on this thread, until the last one ends. Each task
        // is spawned on the runtime, so one that panics ends alone, and the
        // others go on (as a thread would).
        runtime.block_on(async {
            let settings = &settings;
            let tasks: Vec<_> = (0..settings.consumers)
                .map(|id| {
                    let (receiver, settings) = (receiver.clone(), settings.clone());
                    tokio::spawn(async move { consumer(id, receiver, &settings).await })
                })
                .collect();
            drop(receiver);
            let mut panicked = false;
            for task in tasks {
                panicked |= task.await.is_err();
            }
            // Pass the failure on, as a scope does for a panicked thread.
            assert!(!panicked, "a consumer task panicked");
        });
    });
}
// ANCHOR_END: main
