//! What watches the programs from outside: the lines they print, read back
//! as events with the time each arrived ([`programs::watch`]), the checker
//! that says whether a run kept every rule of the pattern, the timelines
//! drawn from a run, and the test helpers.
//!
//! No plain program depends on this crate: a section's file holds its own
//! producer, consumer and `main`, on `common`'s few words. The examples not
//! yet made plain still run on the older machinery kept here (the event
//! log, the command line with `--timeline`, the settings).

pub mod check;
pub mod cli;
pub mod config;
pub mod exit;
pub mod item;
pub mod log;
pub mod programs;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
pub mod threads;
pub mod timeline;

pub use check::{Verdict, check, check_printed, summary};
pub use config::{Config, Count, PanicAt, Section};
pub use item::{Item, Message};
pub use log::{Actor, Event, Log, Role, What};
pub use threads::{Panicked, join_all};

/// A section's `run` function: runs the threads with these settings,
/// reporting to the log, and joins them all.
pub type Run = fn(&Config, &Log) -> Result<(), Panicked>;
