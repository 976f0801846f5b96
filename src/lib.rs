//! The workspace's root package: it gives the top-level `tests/` and
//! `examples/` one place to reach every section from, and holds the
//! shutdown strategies the tutorial names but does not build, each run by
//! an example of the same name.

pub mod counting_sentinels;
pub mod disconnect;
pub mod event_timeout;

pub use common;
pub use many_many;
pub use many_one;
pub use one_many;
pub use one_one;

use common::{Run, Section};

/// The four tutorial sections, in the tutorial's order, with their `run`.
pub const SECTIONS: [(Section, Run); 4] = [
    (one_one::SECTION, one_one::run),
    (many_one::SECTION, many_one::run),
    (one_many::SECTION, one_many::run),
    (many_many::SECTION, many_many::run),
];

/// The other shutdown strategies, run as examples, with their `run`.
pub const SHUTDOWNS: [(Section, Run); 3] = [
    (counting_sentinels::SECTION, counting_sentinels::run),
    (disconnect::SECTION, disconnect::run),
    (event_timeout::SECTION, event_timeout::run),
];
