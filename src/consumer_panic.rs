//! A consumer that panics halfway: the item it was processing is lost, the
//! other consumers go on, and the program says which items were never
//! processed and exits with code 1.
//!
//! The wiring is the disconnection example's: a consumer that dies drops
//! its `Receiver` as it unwinds, and the others keep receiving. A bug that
//! only one item triggers stands for the crash.

use flume::Receiver;
use harness::{Actor, Config, Count, Item, Log, Panicked, Section};

use crate::disconnect;

/// One producer, three consumers.
pub const SECTION: Section = Section {
    name: "consumer_panic",
    about: "One of three consumers panics on the item halfway through the run: the others \
            go on, and the program names the lost item and exits with code 1",
    version: env!("CARGO_PKG_VERSION"),
    producers: Count::One,
    consumers: Count::Many(3),
    items: 10,
    prints_added: false,
    barrier: false,
    example: true,
    report: None,
};

// ANCHOR: consumer
/// Processes items until the channel is empty and disconnected, and
/// panics on the item halfway through the run.
fn consumer(me: Actor, queue: Receiver<Item>, config: &Config, log: &Log) {
    log.running(me);
    for item in queue {
        config.work_on(me, item, log);
        // Stands for a bug that only this item triggers.
        assert!(item.i != config.items / 2, "{me} cannot process {item}");
        log.got(me, item);
    }
    log.done(me);
}
// ANCHOR_END: consumer

// ANCHOR: run
/// Runs one producer and `config.consumers` consumers, wired as in the
/// disconnection example; the consumer that takes the item halfway through
/// panics.
pub fn run(config: &Config, log: &Log) -> Result<(), Panicked> {
    disconnect::run_with(&SECTION, config, log, disconnect::producer, consumer)
}
// ANCHOR_END: run
