//! Every consumer gone while producers still send: each consumer processes
//! three items and leaves, dropping its `Receiver`. When the last one is
//! gone, the producers' next `send` returns an error, and they stop.
//!
//! Nothing can receive from a channel without receivers, so what is still
//! in the buffer at that moment is dropped with the channel. A report after
//! the run says how many items that was.

use std::time::Duration;

use flume::{Receiver, Sender};
use harness::{Actor, Config, Count, Event, Item, Log, Panicked, Section, What};
use rand::RngExt;

/// Two producers, two consumers.
pub const SECTION: Section = Section {
    name: "consumers_gone",
    about: "The consumers leave after three items each; the producers' next send fails, \
            and they stop",
    version: env!("CARGO_PKG_VERSION"),
    producers: Count::Many(2),
    consumers: Count::Many(2),
    items: 10,
    prints_added: true,
    barrier: false,
    example: true,
    report: Some(report),
};

/// Items each consumer processes before it leaves.
const ENOUGH: usize = 3;

// ANCHOR: producer
/// Makes and sends items until they are all sent, or nobody is listening.
fn producer(me: Actor, queue: Sender<Item>, config: &Config, log: &Log) {
    log.running(me);
    let mut rng = config.rng_for(me);
    for i in 0..config.items {
        let item = Item {
            i,
            value: rng.random(),
        };
        config.work_on(me, item, log);
        // The error gives the item back: it was never in the buffer.
        if let Err(flume::SendError(item)) = queue.send(item) {
            log.event(me, What::Refused(item));
            break;
        }
        log.added(me, item);
    }
    log.done(me);
}
// ANCHOR_END: producer

// ANCHOR: consumer
/// Processes three items, then leaves; returning drops its `Receiver`.
fn consumer(me: Actor, queue: Receiver<Item>, config: &Config, log: &Log) {
    log.running(me);
    for item in queue.iter().take(ENOUGH) {
        config.work_on(me, item, log);
        log.got(me, item);
    }
    log.done(me);
}
// ANCHOR_END: consumer

/// Runs `config.producers` producers and `config.consumers` consumers,
/// wired as in the disconnection example.
pub fn run(config: &Config, log: &Log) -> Result<(), Panicked> {
    crate::disconnect::run_with(&SECTION, config, log, producer, consumer)
}

/// What became of the items made: processed, dropped with the channel
/// (added but never received), refused by a failed `send`.
pub fn fates(events: &[Event]) -> (usize, usize, usize) {
    let count = |pick: fn(&What) -> bool| events.iter().filter(|e| pick(&e.what)).count();
    let added = count(|w| matches!(w, What::Added(_)));
    let got = count(|w| matches!(w, What::Got(_)));
    let refused = count(|w| matches!(w, What::Refused(_)));
    (got, added - got, refused)
}

/// The report printed on stderr after a run.
fn report(_: &Config, events: &[(Duration, Event)]) -> String {
    let events: Vec<Event> = events.iter().map(|&(_, event)| event).collect();
    let (got, lost, refused) = fates(&events);
    format!(
        "consumers_gone: {got} items processed, {lost} left in the buffer and dropped with the \
         channel, {refused} refused by a failed send\n"
    )
}
