//! What the four tutorial sections share: the item and the sentinel, the
//! settings of a run and its command line, the printed events, and the
//! checker that says whether a run kept every rule of the pattern.
//!
//! Nothing here belongs to one section: each section crate holds its own
//! producer, consumer and wiring, and reads like its part of the tutorial.

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
