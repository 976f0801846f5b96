//! Waiting on two channels at once with flume's `Selector`: consumers wait
//! for an item *or* a cancellation, whichever comes first.
//!
//! The consumers search the items for a "needle", a value of 0.9 or more.
//! The first to find one cancels the job: producers are refused, the other
//! consumers stop at once (even those waiting on an empty buffer), and the
//! finder drops what is left in the buffer. A run without a needle ends as
//! the disconnection example does.

use std::thread;
use std::time::Duration;

use flume::{Receiver, RecvTimeoutError, Selector};
use harness::{Actor, Config, Count, Item, Log, Panicked, Section, What};

use crate::shutdown::{Switch, producer};

/// Two producers, three consumers.
pub const SECTION: Section = Section {
    name: "select",
    about: "Consumers wait for an item or a cancellation at once (flume's Selector); \
            the first to find a value of 0.9 or more cancels the job",
    version: env!("CARGO_PKG_VERSION"),
    producers: Count::Many(2),
    consumers: Count::Many(3),
    items: 10,
    prints_added: true,
    barrier: false,
    example: true,
    report: None,
};

/// What a consumer is looking for.
const NEEDLE: f64 = 0.9;

/// What a consumer's wait ended with.
enum Next {
    Item(Item),
    Cancelled,
    Finished,
}

// ANCHOR: next
/// Waits for an item or the cancellation, whichever comes first.
fn next(queue: &Receiver<Item>, cancelled: &Receiver<()>) -> Next {
    loop {
        // When both are ready, a `Selector` may pick either: look at the
        // cancellation first, so that no item is taken once it has come.
        if cancelled.is_disconnected() {
            return Next::Cancelled;
        }
        let next = Selector::new()
            .recv(queue, |item| match item {
                Ok(item) => Next::Item(item),
                Err(_) => Next::Finished, // Empty, and every producer is gone.
            })
            .recv(cancelled, |_| Next::Cancelled)
            .wait_timeout(Duration::from_millis(10));
        // A `Selector` can miss a wake-up (flume issue #44): never wait long
        // before looking at both channels again.
        if let Ok(next) = next {
            return next;
        }
    }
}
// ANCHOR_END: next

// ANCHOR: consumer
/// Processes items until the job is done or cancelled; cancels it on
/// finding a needle, then drops what is left in the buffer.
fn consumer(me: Actor, queue: Receiver<Item>, cancel: Cancel, config: &Config, log: &Log) {
    log.running(me);
    while let Next::Item(item) = next(&queue, &cancel.cancelled) {
        config.work_on(me, item, log);
        log.got(me, item);
        if item.value >= NEEDLE && cancel.switch.flip() {
            log.event(me, What::ShutDown);
            drop_the_rest(me, &queue, log);
        }
    }
    log.done(me);
}
// ANCHOR_END: consumer

// ANCHOR: drop_the_rest
/// Drops what reaches the buffer until the last producer has seen the
/// cancellation and is gone.
fn drop_the_rest(me: Actor, queue: &Receiver<Item>, log: &Log) {
    // Not `for item in queue.iter()`: after `Selector`s have waited on the
    // channel, a blocked `recv` can miss its disconnection and wait forever
    // (seen here under stress). Looking again every 10 ms cannot.
    loop {
        match queue.recv_timeout(Duration::from_millis(10)) {
            Ok(item) => log.event(me, What::Dropped(item)),
            Err(RecvTimeoutError::Disconnected) => return,
            Err(RecvTimeoutError::Timeout) => {}
        }
    }
}
// ANCHOR_END: drop_the_rest

/// The cancellation, as a consumer sees it: the shutdown examples' switch,
/// and the receiver it disconnects.
struct Cancel<'a> {
    switch: &'a Switch,
    cancelled: Receiver<()>,
}

// ANCHOR: run
/// Runs `config.producers` producers and `config.consumers` consumers.
pub fn run(config: &Config, log: &Log) -> Result<(), Panicked> {
    let (sender, receiver) = config.channel();
    let (switch, cancelled) = Switch::new();
    let switch = &switch;
    thread::scope(|scope| {
        let mut threads = Vec::new();
        for id in 0..config.consumers {
            let (me, queue) = (Actor::consumer(id), receiver.clone());
            let cancel = Cancel {
                switch,
                cancelled: cancelled.clone(),
            };
            let consumer = scope.spawn(move || consumer(me, queue, cancel, config, log));
            threads.push((me.to_string().to_lowercase(), consumer));
        }
        for id in 0..config.producers {
            let (me, queue, cancelled) = (Actor::producer(id), sender.clone(), cancelled.clone());
            let producer = scope.spawn(move || producer(me, queue, cancelled, config, log));
            threads.push((me.to_string().to_lowercase(), producer));
        }
        drop((sender, receiver, cancelled));
        harness::join_all(threads)
    })
}
// ANCHOR_END: run

#[cfg(test)]
mod tests {
    use super::*;
    use harness::testing::{DEADLOCK_BOUND, within};

    #[test]
    fn a_cancellation_wakes_a_waiting_consumer() {
        // The buffer stays empty and its sender alive, so nothing but the
        // cancellation can end the wait.
        let (sender, queue) = flume::unbounded::<Item>();
        let (switch, cancelled) = Switch::new();
        let waiting =
            std::thread::spawn(move || matches!(next(&queue, &cancelled), Next::Cancelled));
        assert!(switch.flip());
        let woke = within(
            DEADLOCK_BOUND,
            "a consumer waiting for an item",
            move || waiting.join().expect("no panic"),
        );
        assert!(
            woke,
            "the wait ended with something other than the cancellation"
        );
        drop(sender);
    }

    #[test]
    fn a_cancellation_wins_over_an_item() {
        let (sender, queue) = flume::unbounded();
        sender.send(Item { i: 0, value: 0.5 }).expect("a receiver");
        let (switch, cancelled) = Switch::new();
        switch.flip();
        for _ in 0..100 {
            assert!(matches!(next(&queue, &cancelled), Next::Cancelled));
        }
        assert_eq!(queue.len(), 1, "the item stays in the buffer");
    }
}
