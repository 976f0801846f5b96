//! One producer, one consumer, and a sentinel, as async tasks on tokio:
//! the tutorial's section 3, with tasks instead of threads.
//!
//! Both tasks run on one thread. Each `.await` is a point where a task
//! may let the other run: waiting for an item, for room in the buffer, or
//! for its simulated effort (a timer, not a blocked thread).
//!
//! ```text
//! cargo run --example async_one_one
//! cargo run --example async_one_one -- --seed 7 --time-scale 0.1 --capacity 1
//! ```

use std::sync::Arc;

use common::{Item, Message, Program, Settings};
use flume::{Receiver, Sender};

const PROGRAM: Program = Program {
    name: "async_one_one",
    about: "One producer task, one consumer task, and a sentinel, on one thread of a tokio runtime",
    producers: 1,
    consumers: 1,
    items: 10,
};

// ANCHOR: work_on
/// The simulated effort, on the runtime's timer: while a task sleeps, the
/// thread runs the other tasks. (`std::thread::sleep` here would stop
/// them all.)
async fn work_on(settings: &Settings, who: &str, item: Item) {
    let effort = settings.effort(who, item);
    if effort.is_zero() {
        tokio::task::yield_now().await; // Let the others run, as a sleep would.
    } else {
        tokio::time::sleep(effort).await;
    }
}
// ANCHOR_END: work_on

// ANCHOR: producer
async fn producer(queue: Sender<Message>, settings: Arc<Settings>) {
    println!("Producer: Running");
    let mut rng = settings.rng(0);
    for i in 0..settings.items {
        let item = Item {
            i,
            value: rng.random(),
        };
        work_on(&settings, "Producer", item).await;
        if queue.send_async(Message::Item(item)).await.is_err() {
            break; // The consumer is gone.
        }
        println!(">producer added {item}");
    }
    // Tell the consumer that no more items will come.
    let _ = queue.send_async(Message::Sentinel).await;
    println!("Producer: Done");
}
// ANCHOR_END: producer

// ANCHOR: consumer
async fn consumer(queue: Receiver<Message>, settings: Arc<Settings>) {
    println!("Consumer: Running");
    while let Ok(message) = queue.recv_async().await {
        match message {
            Message::Item(item) => {
                work_on(&settings, "Consumer", item).await;
                println!(">consumer got {item}");
            }
            Message::Sentinel => break,
        }
    }
    println!("Consumer: Done");
}
// ANCHOR_END: consumer

// ANCHOR: main
fn main() {
    // A task may outlive the function that spawned it, so it owns what it
    // uses: the settings are shared through an `Arc`, not borrowed.
    let settings = Arc::new(Settings::from_command_line(&PROGRAM));
    let (sender, receiver) = match settings.capacity {
        Some(capacity) => flume::bounded(capacity),
        None => flume::unbounded(),
    };
    // One thread runs every task; it needs a timer for the sleeps.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a runtime on this thread");
    runtime.block_on(async {
        let tasks = [
            tokio::spawn(consumer(receiver, Arc::clone(&settings))),
            tokio::spawn(producer(sender, Arc::clone(&settings))),
        ];
        // A task's panic comes back from its handle: raise it again once
        // both tasks are done, so the program ends as a panic does.
        let mut first_panic = None;
        for task in tasks {
            if let Err(error) = task.await {
                first_panic.get_or_insert(error.into_panic());
            }
        }
        if let Some(panic) = first_panic {
            std::panic::resume_unwind(panic);
        }
    });
}
// ANCHOR_END: main
