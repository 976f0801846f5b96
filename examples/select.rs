//! Waiting on two channels at once with flume's `Selector`: consumers wait
//! for an item *or* a cancellation, whichever comes first.
//!
//! The consumers search the items for a "needle", a value of 0.9 or more.
//! The first to find one cancels the job: producers are refused, the other
//! consumers stop at once (even those waiting on an empty buffer), and the
//! finder drops what is left in the buffer. A run without a needle ends as
//! the disconnection example does. The cancellation is the shutdown
//! example's switch and `closed` channel, here called `cancelled`.
//!
//! ```text
//! cargo run --example select
//! cargo run --example select -- --seed 3 --time-scale 0.1
//! cargo run --example select -- --help
//! ```

use std::sync::{Mutex, PoisonError};
use std::thread;
use std::time::Duration;

use common::{Item, Program, Settings};
use flume::{Receiver, RecvTimeoutError, Selector, Sender};

const PROGRAM: Program = Program {
    name: "select",
    about: "Consumers wait for an item or a cancellation at once (flume's Selector); \
            the first to find a value of 0.9 or more cancels the job",
    producers: 2,
    consumers: 3,
    items: 10,
};

/// What a consumer is looking for.
const NEEDLE: f64 = 0.9;

/// The cancellation switch: it holds the only sender of the `cancelled`
/// channel, and flipping it drops that sender, which disconnects it.
struct Switch(Mutex<Option<Sender<()>>>);

impl Switch {
    /// Flips the switch; only the first call does, and returns `true`.
    fn flip(&self) -> bool {
        let mut sender = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        sender.take().is_some()
    }
}

/// Makes and puts items until the job is cancelled.
fn producer(id: usize, queue: Sender<Item>, cancelled: Receiver<()>, settings: &Settings) {
    let me = format!("Producer {id}");
    println!("{me}: Running");
    let mut rng = settings.rng(id);
    for i in 0..settings.items {
        let item = Item {
            i,
            value: rng.random(),
        };
        thread::sleep(settings.effort(&me, item));
        if cancelled.is_disconnected() {
            println!(">producer {id} refused {item}");
            break;
        }
        if queue.send(item).is_err() {
            break; // Every consumer is gone.
        }
        println!(">producer {id} added {item}");
    }
    println!("{me}: Done");
}

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
fn consumer(
    id: usize,
    queue: Receiver<Item>,
    cancelled: Receiver<()>,
    switch: &Switch,
    settings: &Settings,
) {
    let me = format!("Consumer {id}");
    println!("{me}: Running");
    while let Next::Item(item) = next(&queue, &cancelled) {
        thread::sleep(settings.effort(&me, item));
        println!(">consumer {id} got {item}");
        if item.value >= NEEDLE && switch.flip() {
            println!("{me}: Shut down the queue");
            drop_the_rest(id, &queue);
        }
    }
    println!("{me}: Done");
}
// ANCHOR_END: consumer

// ANCHOR: drop_the_rest
/// Drops what reaches the buffer until the last producer has seen the
/// cancellation and is gone.
fn drop_the_rest(id: usize, queue: &Receiver<Item>) {
    // Not `for item in queue.iter()`: after `Selector`s have waited on the
    // channel, a blocked `recv` can miss its disconnection and wait for
    // ever (seen here under stress). Looking again every 10 ms cannot.
    loop {
        match queue.recv_timeout(Duration::from_millis(10)) {
            Ok(item) => println!(">consumer {id} dropped {item}"),
            Err(RecvTimeoutError::Disconnected) => return,
            Err(RecvTimeoutError::Timeout) => {}
        }
    }
}
// ANCHOR_END: drop_the_rest

// ANCHOR: main
fn main() {
    let settings = Settings::from_command_line(&PROGRAM);
    let (sender, receiver) = match settings.capacity {
        Some(capacity) => flume::bounded(capacity),
        None => flume::unbounded(),
    };
    let (switch, cancelled) = flume::bounded(0);
    let switch = Switch(Mutex::new(Some(switch)));
    thread::scope(|scope| {
        for id in 0..settings.consumers {
            let (receiver, cancelled) = (receiver.clone(), cancelled.clone());
            let (switch, settings) = (&switch, &settings);
            scope.spawn(move || consumer(id, receiver, cancelled, switch, settings));
        }
        for id in 0..settings.producers {
            let (sender, cancelled, settings) = (sender.clone(), cancelled.clone(), &settings);
            scope.spawn(move || producer(id, sender, cancelled, settings));
        }
        drop((sender, receiver, cancelled));
    });
}
// ANCHOR_END: main

// ANCHOR: tests
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cancellation_wakes_a_waiting_consumer() {
        // The buffer stays empty and its sender alive, so nothing but the
        // cancellation can end the wait.
        let (_sender, queue) = flume::unbounded::<Item>();
        let (switch, cancelled) = flume::bounded(0);
        let switch = Switch(Mutex::new(Some(switch)));
        let (woke, wake) = flume::bounded(1);
        thread::spawn(move || {
            let _ = woke.send(matches!(next(&queue, &cancelled), Next::Cancelled));
        });
        assert!(switch.flip());
        let woke = wake
            .recv_timeout(Duration::from_secs(30))
            .expect("the waiting consumer never woke (a hang)");
        assert!(
            woke,
            "the wait ended with something other than the cancellation"
        );
    }

    #[test]
    fn a_cancellation_wins_over_an_item() {
        let (sender, queue) = flume::unbounded();
        sender.send(Item { i: 0, value: 0.5 }).expect("a receiver");
        let (switch, cancelled) = flume::bounded(0);
        Switch(Mutex::new(Some(switch))).flip();
        for _ in 0..100 {
            assert!(matches!(next(&queue, &cancelled), Next::Cancelled));
        }
        assert_eq!(queue.len(), 1, "the item stays in the buffer");
    }
}
// ANCHOR_END: tests
