//! One channel, two worlds: producers are ordinary threads that block in
//! `send`, and consumers are async tasks that `.await` in `recv_async`, all
//! on a single thread of a tokio runtime.
//!
//! A flume channel has both a blocking and an async API on the same
//! `Sender` and `Receiver`, so nothing else is needed to bridge them. The
//! shutdown is the disconnection one: the producers drop their senders, and
//! each consumer's `recv_async` returns an error once the buffer is empty.

use std::panic::AssertUnwindSafe;
use std::thread;
use std::time::Duration;

use flume::Receiver;
use harness::{Actor, Config, Count, Item, Log, Panicked, Section, What};

use crate::disconnect::producer;
use futures_util::FutureExt;
use futures_util::future::join_all;

/// Three producer threads, five consumer tasks.
pub const SECTION: Section = Section {
    name: "async_consumers",
    about: "Producers are threads, consumers are async tasks on one thread of a tokio runtime; \
            one flume channel connects them",
    version: env!("CARGO_PKG_VERSION"),
    producers: Count::Many(3),
    consumers: Count::Many(5),
    items: 10,
    prints_added: false,
    barrier: false,
    example: true,
    report: None,
};

// ANCHOR: consumer
/// An async task: waits for items without holding a thread, until the
/// channel is empty and every producer is gone.
async fn consumer(me: Actor, queue: Receiver<Item>, config: &Config, log: &Log) {
    log.running(me);
    while let Ok(item) = queue.recv_async().await {
        log.event(me, What::Working(item));
        // `tokio::time::sleep`, not `thread::sleep`: a task must never block
        // the thread it shares with the other tasks. tokio's timer ticks
        // once a millisecond, and even a zero-length sleep waits for the
        // next tick: so round the effort to whole milliseconds, and when
        // that is none, only let the other tasks take their turn.
        let millis = (config.effort(me, item).as_secs_f64() * 1000.0).round();
        if millis >= 1.0 {
            tokio::time::sleep(Duration::from_millis(millis as u64)).await;
        } else {
            tokio::task::yield_now().await;
        }
        log.event(me, What::Worked(item));
        log.got(me, item);
    }
    log.done(me);
}
// ANCHOR_END: consumer

// ANCHOR: run
/// Runs `config.producers` producer threads and `config.consumers` consumer
/// tasks.
pub fn run(config: &Config, log: &Log) -> Result<(), Panicked> {
    let (sender, receiver) = config.channel();
    // One thread runs every consumer: a task waiting for an item costs a
    // few bytes, not a thread.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a tokio runtime (it only needs a timer)");
    thread::scope(|scope| {
        let consumers = scope.spawn(move || {
            let tasks = (0..config.consumers).map(|id| {
                let me = Actor::consumer(id);
                let task = consumer(me, receiver.clone(), config, log);
                // A panicking task is reported, like a thread, instead of
                // taking the others down with it.
                AssertUnwindSafe(task)
                    .catch_unwind()
                    .map(move |result| (me, result))
            });
            let tasks: Vec<_> = tasks.collect();
            drop(receiver);
            runtime.block_on(join_all(tasks))
        });
        let mut threads = Vec::new();
        for id in 0..config.producers {
            let (me, sender) = (Actor::producer(id), sender.clone());
            let producer = scope.spawn(move || producer(me, sender, config, log));
            threads.push((me.to_string().to_lowercase(), producer));
        }
        drop(sender);
        let producers = harness::join_all(threads);
        let mut panicked = producers.err().map_or_else(Vec::new, |p| p.threads);
        let finished = consumers
            .join()
            .expect("the runtime's thread catches panics");
        for (me, result) in finished {
            if let Err(payload) = result {
                let message = harness::threads::panic_message(payload.as_ref());
                panicked.push((me.to_string().to_lowercase(), message));
            }
        }
        if panicked.is_empty() {
            Ok(())
        } else {
            Err(Panicked { threads: panicked })
        }
    })
}
// ANCHOR_END: run
