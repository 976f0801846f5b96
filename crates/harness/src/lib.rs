//! What watches the programs from outside: the lines they print, read back
//! as events with the time each arrived ([`programs::watch`]), the checker
//! that says whether a run kept every rule of the pattern, the timelines
//! drawn from a run, and the test helpers.
//!
//! No program depends on this crate: each is one plain file (a section's
//! `src/main.rs`, or `examples/NAME.rs`) on `common`'s few words. The
//! harness runs it, as a reader would, and reads what it prints: the
//! settings it runs with are read by the program's own parser
//! ([`settings::parse`]), so the two can never disagree.

pub mod check;
pub mod events;
pub mod files;
pub mod grading;
pub mod item;
pub mod log;
pub mod programs;
pub mod redis_server;
pub mod run;
pub mod section;
pub mod settings;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
pub mod timeline;

pub use check::{Verdict, check, check_printed, summary};
pub use events::{Actor, Event, Role, What};
pub use item::{Item, Message};
pub use log::Log;
pub use programs::Panicked;
pub use section::{Count, Kind, Section, Settings};
