//! What a section is (its shape) and how one run of it is set up.

/// How many threads of one role a section runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Count {
    /// Exactly one, printed without a number (`Producer: Running`).
    One,
    /// Several, numbered from 0 (`Producer 2: Running`); the number is the
    /// default, and `--producers` or `--consumers` changes it.
    Many(usize),
}

impl Count {
    /// Whether threads of this role print their number.
    pub fn numbered(self) -> bool {
        matches!(self, Count::Many(_))
    }

    /// How many run when the command line does not say.
    pub fn default_count(self) -> usize {
        match self {
            Count::One => 1,
            Count::Many(n) => n,
        }
    }
}

/// Which part of the book a program belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// One of the tutorial's four sections: a crate (`cargo run -p NAME`).
    Section,
    /// An example beyond the tutorial (`cargo run --example NAME`) that
    /// keeps the checker's rules.
    Example,
    /// An example whose runs end in a failure on purpose (a panic, every
    /// consumer gone): it has tests of its own.
    Failure,
    /// Beyond one process: a crate of its own, whose runs need Redis.
    Beyond,
    /// An example with no section's command line (`cargo run --example
    /// NAME`), which prints no events: a step aside, such as threads on
    /// their own. It takes no flags but `--help`.
    Aside,
}

/// The fixed shape of a tutorial section: who runs and what it prints.
#[derive(Debug, Clone, Copy)]
// A row of the table of programs: each flag is one fact about a program.
#[allow(clippy::struct_excessive_bools)]
pub struct Section {
    /// The crate's name, which is also the command's name.
    pub name: &'static str,
    /// Producer threads.
    pub producers: Count,
    /// Consumer threads.
    pub consumers: Count,
    /// Items per producer by default.
    pub items: usize,
    /// Whether producers print `>producer added (i, value)`.
    pub prints_added: bool,
    /// Whether producers wait at a barrier before the sentinel goes out.
    pub barrier: bool,
    /// Which part of the book it belongs to, and so how it runs.
    pub kind: Kind,
    /// Whether its shutdown is a sentinel (drawn on its timeline).
    pub sentinel: bool,
    /// Whether its producers and consumers are async tasks on `main`'s
    /// thread, so that it needs no other thread.
    pub one_thread: bool,
    /// The book's page that teaches it, in `book/src/`.
    pub page: &'static str,
    /// The producers' and the consumers' effort on an item, as a share of
    /// the tutorial's (the item's value times `--time-scale`): 1 for both,
    /// but in a program that sets its own pace. Its timeline draws each
    /// item's work this long.
    pub effort: (f64, f64),
}

use crate::events::{Event, What};

/// The settings of one run: the programs' own type, read by their own
/// parser ([`crate::settings::parse`]), so the harness cannot hold a setting
/// that a program would refuse.
pub use common::Settings;

impl Section {
    /// Whether it runs as an example (`cargo run --example NAME`) rather
    /// than as a crate (`cargo run -p NAME`).
    pub fn is_example(&self) -> bool {
        matches!(self.kind, Kind::Example | Kind::Failure | Kind::Aside)
    }

    /// Whether the program prints `event`: every line of the tutorial's
    /// format, `added` lines only where it prints them, never a mark.
    pub fn prints(&self, event: &Event) -> bool {
        match event.what {
            What::Added(_) => self.prints_added,
            what => !what.is_mark(),
        }
    }

    /// What the program says of itself to `common`'s parser.
    pub fn program(&self) -> common::Program {
        common::Program {
            name: self.name,
            about: "", // The harness never prints a program's --help.
            producers: self.producers.default_count(),
            consumers: self.consumers.default_count(),
            items: self.items,
        }
    }

    /// The program's defaults, with the given seed.
    pub fn settings(&self, seed: u64) -> Settings {
        Settings {
            producers: self.producers.default_count(),
            consumers: self.consumers.default_count(),
            items: self.items,
            seed,
            time_scale: 1.0,
            capacity: None,
            panic_at: None,
            pace: None,
            jitter: false,
            stall: None,
        }
    }

    /// The arguments that make the program run with `settings`: only the
    /// flags it takes.
    pub fn args(&self, settings: &Settings) -> Vec<String> {
        let mut args = Vec::new();
        let mut flag = |name: &str, value: String| args.extend([format!("--{name}"), value]);
        if self.producers.numbered() {
            flag("producers", settings.producers.to_string());
        }
        if self.consumers.numbered() {
            flag("consumers", settings.consumers.to_string());
        }
        flag("items", settings.items.to_string());
        flag("seed", settings.seed.to_string());
        flag("time-scale", settings.time_scale.to_string());
        if let Some(slots) = settings.capacity {
            flag("capacity", slots.to_string());
        }
        if let Some((who, i)) = &settings.panic_at {
            flag("panic-at", format!("{}:{i}", who.replace(' ', "-")));
        }
        if let Some((producers, consumers)) = settings.pace {
            flag("pace", format!("{producers}:{consumers}"));
        }
        if settings.jitter {
            args.push("--jitter".to_string());
        }
        if let Some((who, i)) = &settings.stall {
            args.extend([
                "--stall".to_string(),
                format!("{}:{i}", who.replace(' ', "-")),
            ]);
        }
        args
    }

    /// The command that repeats a run with `settings`, to paste into a
    /// shell as it is.
    pub fn command(&self, settings: &Settings) -> String {
        self.command_with(&self.args(settings).join(" "))
    }

    /// The command a reader types to run it with `args`, as written.
    pub fn command_with(&self, args: &str) -> String {
        let how = if self.is_example() { "--example" } else { "-p" };
        if args.is_empty() {
            format!("cargo run {how} {}", self.name)
        } else {
            format!("cargo run {how} {} -- {args}", self.name)
        }
    }
}

/// Items made (and so consumed) in the whole run.
pub fn total_items(settings: &Settings) -> usize {
    settings.producers.saturating_mul(settings.items)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MANY_MANY: Section = Section {
        name: "many-many",
        producers: Count::Many(3),
        consumers: Count::Many(5),
        items: 10,
        prints_added: false,
        barrier: true,
        kind: Kind::Section,
        sentinel: true,
        one_thread: false,
        page: "many-many.md",
        effort: (1.0, 1.0),
    };

    #[test]
    fn defaults_come_from_the_section() {
        let settings = MANY_MANY.settings(1);
        assert_eq!(
            (settings.producers, settings.consumers, settings.items),
            (3, 5, 10)
        );
    }

    #[test]
    fn the_command_repeats_the_run() {
        let mut settings = MANY_MANY.settings(1);
        settings.capacity = Some(0);
        settings.panic_at = Some(("consumer 4".into(), 2));
        let command = MANY_MANY.command(&settings);
        assert_eq!(
            command,
            "cargo run -p many-many -- --producers 3 --consumers 5 --items 10 --seed 1 \
             --time-scale 1 --capacity 0 --panic-at consumer-4:2"
        );
    }
}
