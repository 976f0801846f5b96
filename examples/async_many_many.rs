//! Many producers, many consumers, as async tasks on tokio: the
//! tutorial's section 6, with tasks instead of threads. The producers meet
//! at an async barrier; each consumer passes the sentinel on.
//!
//! ```text
//! cargo run --example async_many_many
//! cargo run --example async_many_many -- --producers 4 --consumers 8 --seed 7 --time-scale 0.1
//! ```

use std::sync::Arc;

use common::{Item, Message, Program, Settings};
use flume::{Receiver, Sender};
use tokio::sync::Barrier;
use tokio::task::JoinHandle;

const PROGRAM: Program = Program {
    name: "async_many_many",
    about: "Many producer tasks meet at an async barrier, one of them sends the sentinel; \
            each consumer task that reads it passes it on",
    producers: 3,
    consumers: 5,
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
async fn producer(
    id: usize,
    queue: Sender<Message>,
    barrier: Arc<Barrier>,
    settings: Arc<Settings>,
) {
    let me = format!("Producer {id}");
    println!("{me}: Running");
    // Even if making the items panics, this producer must reach the
    // barrier, or the others would wait there for ever. Made in a task of
    // its own, the items' panic comes back as an `Err` from its handle.
    let made = tokio::spawn(make_items(id, queue.clone(), settings)).await;
    // `wait` lets the task go until every producer is here (the thread
    // runs the others meanwhile), and names exactly one leader.
    if barrier.wait().await.is_leader() {
        let _ = queue.send_async(Message::Sentinel).await;
    }
    if let Err(error) = made {
        std::panic::resume_unwind(error.into_panic());
    }
    println!("{me}: Done");
}

async fn make_items(id: usize, queue: Sender<Message>, settings: Arc<Settings>) {
    let me = format!("Producer {id}");
    let mut rng = settings.rng(id);
    for i in 0..settings.items {
        let item = Item {
            i,
            value: rng.random(),
        };
        work_on(&settings, &me, item).await;
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
        let barrier = Arc::new(Barrier::new(settings.producers));
        let mut tasks = Vec::new();
        for id in 0..settings.consumers {
            let (receiver, requeue) = (receiver.clone(), sender.clone());
            tasks.push(tokio::spawn(consumer(
                id,
                receiver,
                requeue,
                Arc::clone(&settings),
            )));
        }
        drop(receiver);
        for id in 0..settings.producers {
            let (sender, barrier) = (sender.clone(), Arc::clone(&barrier));
            tasks.push(tokio::spawn(producer(
                id,
                sender,
                barrier,
                Arc::clone(&settings),
            )));
        }
        // Only the producers and the consumers hold senders now.
        drop(sender);
        join_all(tasks).await;
    });
}
