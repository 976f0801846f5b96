//! One producer, many consumers, as async tasks on tokio: the tutorial's
//! section 5, with tasks instead of threads. Each consumer that reads the
//! sentinel passes it on.
//!
//! ```text
//! cargo run --example async_one_many
//! cargo run --example async_one_many -- --consumers 6 --seed 7 --time-scale 0.1
//! ```

use std::sync::Arc;

use common::{Item, Message, Program, Settings};
use flume::{Receiver, Sender};
use tokio::task::JoinHandle;

const PROGRAM: Program = Program {
    name: "async_one_many",
    about: "One producer task, many consumer tasks: each consumer that reads the sentinel \
            passes it on",
    producers: 1,
    consumers: 3,
    items: 10,
};

/// The simulated effort, on the runtime's timer: while a task sleeps, the
/// thread runs the other tasks.
async fn work_on(settings: &Settings, who: &str, item: Item) {
    let effort = settings.effort(who, item);
    if effort.is_zero() {
        tokio::task::yield_now().await;
    } else {
        tokio::time::sleep(effort).await;
    }
}

// ANCHOR: producer
async fn producer(queue: Sender<Message>, settings: Arc<Settings>) {
    println!("Producer: Running");
    // The consumers hold senders too (to pass the sentinel on), so the
    // channel never closes by itself: even if making the items panics, the
    // sentinel must go out. Made in a task of its own, the items' panic
    // comes back as an `Err` from its handle.
    let made = tokio::spawn(make_items(queue.clone(), settings)).await;
    let _ = queue.send_async(Message::Sentinel).await;
    if let Err(error) = made {
        std::panic::resume_unwind(error.into_panic());
    }
    println!("Producer: Done");
}

async fn make_items(queue: Sender<Message>, settings: Arc<Settings>) {
    let mut rng = settings.rng(0);
    for i in 0..settings.items {
        let item = Item {
            i,
            value: rng.random(),
        };
        work_on(&settings, "Producer", item).await;
        if queue.send_async(Message::Item(item)).await.is_err() {
            break; // Every consumer is gone.
        }
    }
}
// ANCHOR_END: producer

// ANCHOR: consumer
async fn consumer(
    id: usize,
    queue: Receiver<Message>,
    requeue: Sender<Message>,
    settings: Arc<Settings>,
) {
    let me = format!("Consumer {id}");
    println!("{me}: Running");
    while let Ok(message) = queue.recv_async().await {
        match message {
            Message::Item(item) => {
                work_on(&settings, &me, item).await;
                println!(">consumer {id} got {item}");
            }
            Message::Sentinel => break,
        }
    }
    // Stop receiving, then pass the sentinel on: the last consumer's send
    // then fails at once, as no receiver is left.
    drop(queue);
    let _ = requeue.send_async(Message::Sentinel).await;
    println!("{me}: Done");
}
// ANCHOR_END: consumer

/// Waits for every task, then raises the first panic among them again, so
/// that the program ends as a panic does.
async fn join_all(tasks: Vec<JoinHandle<()>>) {
    let mut first_panic = None;
    for task in tasks {
        if let Err(error) = task.await {
            first_panic.get_or_insert(error.into_panic());
        }
    }
    if let Some(panic) = first_panic {
        std::panic::resume_unwind(panic);
    }
}

fn main() {
    let settings = Arc::new(Settings::from_command_line(&PROGRAM));
    let (sender, receiver) = match settings.capacity {
        Some(capacity) => flume::bounded(capacity),
        None => flume::unbounded(),
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a runtime on this thread");
    runtime.block_on(async {
        let mut tasks = Vec::new();
        for id in 0..settings.consumers {
            // Each consumer takes items out, and may put the sentinel back.
            let (receiver, requeue) = (receiver.clone(), sender.clone());
            tasks.push(tokio::spawn(consumer(
                id,
                receiver,
                requeue,
                Arc::clone(&settings),
            )));
        }
        drop(receiver);
        tasks.push(tokio::spawn(producer(sender, Arc::clone(&settings))));
        join_all(tasks).await;
    });
}
