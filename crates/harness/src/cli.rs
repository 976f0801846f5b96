//! The command line every section shares: flags, their checks, and the
//! `main` that runs a section and turns its outcome into an exit code.

use std::ffi::OsString;
use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::error::ErrorKind;
use clap::{Arg, ArgMatches, Command, value_parser};

use crate::Run;
use crate::check::check;
use crate::config::{Config, Count, PanicAt, Section};
use crate::exit;
use crate::item::Item;
use crate::log::{Actor, Event, Log};
use crate::threads::Panicked;
use crate::timeline::Timeline;

/// The most items a `--timeline` draws: more would make a picture of
/// several megabytes in which no single item can be seen.
pub const MAX_TIMELINE_ITEMS: usize = 10_000;

/// The most items for which a run keeps its events, so that if a thread
/// panics it can say which items were never processed (about 25 MB).
pub const MAX_ACCOUNTED_ITEMS: usize = 100_000;

/// What the command line asked for.
#[derive(Debug, Clone, PartialEq)]
pub enum Request {
    /// Run with these settings; `seed_given` says whether `--seed` was set.
    Run {
        /// The run's settings.
        config: Config,
        /// Whether the seed came from `--seed` (else it was drawn at random).
        seed_given: bool,
        /// Where to draw the run's timeline (`--timeline`), if anywhere.
        timeline: Option<PathBuf>,
    },
    /// Print this text (`--help`, `--version`) and exit successfully.
    Print(String),
}

/// The `clap` command for a section: the shared flags, plus `--producers`
/// and `--consumers` where the section runs several.
pub fn command(section: &Section) -> Command {
    let mut command = Command::new(section.name)
        .about(section.about)
        .version(section.version)
        .after_help(format!(
            "Each run prints one line per event. Without --seed the items are random; \
             the seed used is printed on stderr, so the run can be repeated.\n\n{}",
            exit::CODES
        ));
    for (name, count, what) in [
        ("producers", section.producers, "producer threads"),
        ("consumers", section.consumers, "consumer threads"),
    ] {
        if let Count::Many(default) = count {
            command = command.arg(
                Arg::new(name)
                    .long(name)
                    .value_name("N")
                    .value_parser(value_parser!(usize))
                    .allow_hyphen_values(true)
                    .default_value(default.to_string())
                    .help(format!("How many {what} to start (at least 1)")),
            );
        }
    }
    command = command
        .arg(
            Arg::new("items")
                .long("items")
                .value_name("N")
                .value_parser(value_parser!(usize))
                .allow_hyphen_values(true)
                .default_value(section.items.to_string())
                .help("How many items each producer makes"),
        )
        .arg(
            Arg::new("seed")
                .long("seed")
                .value_name("S")
                .value_parser(value_parser!(u64))
                .allow_hyphen_values(true)
                .help("Makes the run's items reproducible: the same seed gives the same items"),
        )
        .arg(
            Arg::new("time-scale")
                .long("time-scale")
                .value_name("X")
                .value_parser(value_parser!(f64))
                .default_value("1.0")
                .allow_hyphen_values(true)
                .help(
                    "Multiplies every simulated sleep: 0.1 runs ten times faster, \
                     0 does not sleep at all",
                ),
        )
        .arg(
            Arg::new("capacity")
                .long("capacity")
                .value_name("N")
                .value_parser(value_parser!(usize))
                .allow_hyphen_values(true)
                .help(
                    "Bounds the buffer to N items: a full buffer makes producers wait. \
                     0 is a rendezvous: each item is handed over directly. \
                     Unbounded if not given, like Python's queue.Queue()",
                ),
        )
        .arg(
            Arg::new("panic-at")
                .long("panic-at")
                .value_name("WHO:I")
                .allow_hyphen_values(true)
                .value_parser(|text: &str| text.parse::<PanicAt>())
                .help(
                    "Makes one thread panic when it starts work on item number I, to see how \
                     the program copes. WHO is producer or consumer, with its number where \
                     there are several: consumer-2:3",
                ),
        )
        .arg(
            Arg::new("timeline")
                .long("timeline")
                .value_name("FILE")
                .value_parser(value_parser!(PathBuf))
                .help(
                    "Also draws the run as a picture (SVG) in FILE: one lane per thread, showing \
                     when it worked and when it waited, and the items in the buffer over time",
                ),
        );
    command
}

/// Reads the command line (`args` starts with the program's name) into a
/// request, or a one-line error message for bad input.
pub fn parse<I, T>(section: &Section, args: I) -> Result<Request, String>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let matches = match command(section).try_get_matches_from(args) {
        Ok(matches) => matches,
        Err(error) => {
            return match error.kind() {
                ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
                    Ok(Request::Print(error.render().to_string()))
                }
                _ => Err(one_line(&error.render().to_string())),
            };
        }
    };
    let seed = matches.get_one::<u64>("seed").copied();
    let mut config = Config::new(section, seed.unwrap_or_else(rand::random));
    config.items = value(&matches, "items");
    config.time_scale = value(&matches, "time-scale");
    config.capacity = matches.get_one::<usize>("capacity").copied();
    config.panic_at = matches.get_one::<PanicAt>("panic-at").copied();
    if section.producers.numbered() {
        config.producers = value(&matches, "producers");
    }
    if section.consumers.numbered() {
        config.consumers = value(&matches, "consumers");
    }
    config
        .validate(section)
        .map_err(|e| format!("error: {e}"))?;
    let timeline = matches.get_one::<PathBuf>("timeline").cloned();
    if timeline.is_some() && config.total_items() > MAX_TIMELINE_ITEMS {
        return Err(format!(
            "error: --timeline draws runs of at most {MAX_TIMELINE_ITEMS} items, and this one \
             makes {}; lower --items",
            config.total_items()
        ));
    }
    Ok(Request::Run {
        config,
        seed_given: seed.is_some(),
        timeline,
    })
}

fn value<T: Clone + Send + Sync + 'static>(matches: &ArgMatches, name: &str) -> T {
    // Every such flag has a default, so clap always holds a value for it.
    matches
        .get_one::<T>(name)
        .cloned()
        .expect("flag with a default value")
}

/// clap's error, with its usage block folded away: the first line, plus the
/// tip if there is one.
fn one_line(rendered: &str) -> String {
    let mut lines = rendered.lines().map(str::trim).filter(|l| !l.is_empty());
    let mut message = lines
        .next()
        .unwrap_or("error: bad command line")
        .to_string();
    if let Some(tip) = lines.find(|l| l.starts_with("tip:")) {
        message.push_str(" (");
        message.push_str(tip);
        message.push(')');
    }
    message.push_str("; see --help");
    message
}

/// The whole program of a section: read the command line, run, report.
///
/// Exit codes: see [`exit::CODES`].
pub fn main(section: &Section, run: Run) -> ExitCode {
    exit::install(section.name);
    ExitCode::from(run_command(section, std::env::args_os(), run))
}

/// What [`main`] does, for any arguments; returns the exit code.
pub fn run_command<I, T>(section: &Section, args: I, run: Run) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let (config, seed_given, timeline) = match parse(section, args) {
        Ok(Request::Run {
            config,
            seed_given,
            timeline,
        }) => (config, seed_given, timeline),
        Ok(Request::Print(text)) => {
            // Like every line of a run: if it cannot be written, the panic
            // hook of `exit::install` says so and sets the exit code.
            print!("{text}");
            return exit::OK;
        }
        Err(message) => {
            exit::say(&format!("{}: {message}", section.name));
            return exit::USAGE;
        }
    };
    // Find out now, not after a long run, if the picture cannot be written;
    // without touching the file, which keeps what it holds until a whole
    // new picture replaces it.
    if let Some(path) = &timeline
        && let Err(error) = check_writable(path)
    {
        exit::say(&format!(
            "{}: error: cannot write {}: {error}",
            section.name,
            path.display()
        ));
        return exit::USAGE;
    }
    if !seed_given {
        exit::say(&format!(
            "random run; repeat it with --seed {}",
            config.seed
        ));
    }
    let keep = timeline.is_some() || section.report.is_some();
    let log = if keep || config.total_items() <= MAX_ACCOUNTED_ITEMS {
        Log::printing_and_keeping(section)
    } else {
        Log::printing(section)
    };
    let outcome = run(&config, &log);
    if let Some(report) = section.report
        && outcome.is_ok()
    {
        exit::say(report(&config, &log.timed_events()).trim_end());
    }
    let mut code = match &outcome {
        Ok(()) => exit::OK,
        Err(panicked) => {
            exit::say(failure_lines(section, &config, panicked, &log.events()).trim_end());
            exit::PANICKED
        }
    };
    // Draw the run even if a thread panicked: the picture shows where.
    if let Some(path) = &timeline {
        let svg = Timeline::from_events(section, &config, &log.timed_events()).to_svg();
        match replace_file(path, svg.as_bytes()) {
            Ok(()) => exit::say(&format!("timeline written to {}", path.display())),
            Err(error) => {
                exit::say(&format!(
                    "{}: error: cannot write {}: {error}",
                    section.name,
                    path.display()
                ));
                // A panicked thread is the graver news: its code stays.
                if code == exit::OK {
                    code = exit::CANNOT_WRITE;
                }
            }
        }
    }
    code
}

/// Checks that `path` can be written without opening it: it is a regular
/// file or nothing yet (not a folder, a device such as `/dev/full`, or a
/// pipe that would wait for a reader), in a folder where a file can be
/// made.
pub fn check_writable(path: &Path) -> io::Result<()> {
    if path.file_name().is_none() {
        return Err(io::Error::other("that names no file"));
    }
    if let Ok(metadata) = fs::metadata(path)
        && !metadata.is_file()
    {
        return Err(io::Error::other("not a regular file"));
    }
    let temporary = temporary_path(path);
    File::create_new(&temporary)?;
    fs::remove_file(&temporary)
}

/// Replaces the file at `path` with `contents` as one step: they are
/// written to a new file next to it, which is then renamed over it. If
/// anything fails (a full disk, a file size limit), `path` keeps what it
/// held before.
pub fn replace_file(path: &Path, contents: &[u8]) -> io::Result<()> {
    let temporary = temporary_path(path);
    let written = File::create_new(&temporary).and_then(|mut file| {
        file.write_all(contents)?;
        file.sync_all()
    });
    let replaced = written.and_then(|()| fs::rename(&temporary, path));
    if replaced.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    replaced
}

/// A name for a file next to `path`, of this process alone.
fn temporary_path(path: &Path) -> PathBuf {
    let mut name = OsString::from(".");
    name.push(path.file_name().unwrap_or_else(|| "timeline".as_ref()));
    name.push(format!(".{}.tmp", std::process::id()));
    path.with_file_name(name)
}

/// The lines a run ends with when a thread panicked: the error, then (if
/// the run kept its events) the items that were never processed.
pub fn failure_lines(
    section: &Section,
    config: &Config,
    panicked: &Panicked,
    events: &[Event],
) -> String {
    let mut lines = format!("{}: error: {panicked}\n", section.name);
    if !events.is_empty() {
        let lost = check(section, config, events).never_consumed;
        lines.push_str(&format!(
            "{}: {}\n",
            section.name,
            never_processed(section, &lost)
        ));
    }
    lines
}

/// The line that accounts for the items a failed run never processed, such
/// as `2 items were never processed: (3, 0.12) from producer 1, ...`.
pub fn never_processed(section: &Section, lost: &[(usize, Item)]) -> String {
    const SHOWN: usize = 10;
    if lost.is_empty() {
        return "every item was processed all the same".to_string();
    }
    let mut line = format!(
        "{} never processed:",
        match lost.len() {
            1 => "1 item was".to_string(),
            n => format!("{n} items were"),
        }
    );
    for (n, &(producer, item)) in lost.iter().take(SHOWN).enumerate() {
        let maker = match section.producers {
            Count::One => Actor::PRODUCER,
            Count::Many(_) => Actor::producer(producer),
        };
        let comma = if n == 0 { "" } else { "," };
        line.push_str(&format!(
            "{comma} {item} from {}",
            maker.to_string().to_lowercase()
        ));
    }
    if lost.len() > SHOWN {
        line.push_str(&format!(" and {} more", lost.len() - SHOWN));
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    const ONE_MANY: Section = Section {
        name: "one-many",
        about: "One producer, many consumers",
        version: "0.1.0",
        producers: Count::One,
        consumers: Count::Many(3),
        items: 10,
        prints_added: false,

        barrier: false,

        example: false,
        sentinel: true,

        report: None,
    };

    fn parse_args(args: &[&str]) -> Result<Request, String> {
        parse(
            &ONE_MANY,
            std::iter::once("one-many").chain(args.iter().copied()),
        )
    }

    #[test]
    fn flags_set_the_config() {
        let request = parse_args(&[
            "--items",
            "4",
            "--seed",
            "9",
            "--time-scale",
            "0.5",
            "--capacity",
            "0",
            "--consumers",
            "7",
        ]);
        let Ok(Request::Run {
            config, seed_given, ..
        }) = request
        else {
            panic!("not a run: {request:?}");
        };
        assert!(seed_given);
        let expected = Config {
            producers: 1,
            consumers: 7,
            items: 4,
            seed: 9,
            time_scale: 0.5,
            capacity: Some(0),
            panic_at: None,
        };
        assert_eq!(config, expected);
    }

    #[test]
    fn bad_input_gets_one_line() {
        for (args, expected) in [
            (
                &["--items", "abc"][..],
                "invalid value 'abc' for '--items <N>'",
            ),
            (&["--consumers", "0"], "--consumers must be at least 1"),
            (&["--time-scale", "-1"], "finite number >= 0, not -1"),
            (&["--time-scale", "nan"], "finite number >= 0, not NaN"),
            (&["--time-scale", "inf"], "finite number >= 0, not inf"),
            (&["--seed", "-3"], "invalid value '-3' for '--seed <S>'"),
            (&["--producers", "2"], "unexpected argument '--producers'"),
            (&["--items", ""], "invalid value '' for '--items <N>'"),
            (&["--items", "-1"], "invalid value '-1' for '--items <N>'"),
            (
                &["--capacity", "-1"],
                "invalid value '-1' for '--capacity <N>'",
            ),
            (
                &["--consumers", "-1"],
                "invalid value '-1' for '--consumers <N>'",
            ),
            (&["--colour"], "unexpected argument '--colour'"),
            (&["--items", "99999999999999999999999"], "number too large"),
            (&["--items", "200000000"], "too many"),
        ] {
            let error = parse_args(args).unwrap_err();
            assert!(error.contains(expected), "{args:?}: {error:?}");
            assert!(!error.contains('\n'), "{args:?}: {error:?}");
        }
    }

    #[test]
    fn exit_codes_say_how_the_run_ended() {
        fn fine(_: &Config, _: &Log) -> Result<(), crate::Panicked> {
            Ok(())
        }
        fn broken(_: &Config, _: &Log) -> Result<(), crate::Panicked> {
            std::thread::scope(|s| {
                let consumer = s.spawn(|| panic!("bad item"));
                crate::join_all([("the consumer".to_string(), consumer)])
            })
        }
        let code = |args: &[&str], run: Run| {
            run_command(
                &ONE_MANY,
                std::iter::once("one-many").chain(args.iter().copied()),
                run,
            )
        };
        assert_eq!(code(&["--time-scale", "0"], fine), 0);
        assert_eq!(code(&["--time-scale", "0"], broken), 1);
        assert_eq!(code(&["--items", "x"], fine), 2);
        assert_eq!(code(&["--version"], fine), 0);
    }

    #[test]
    fn help_and_version_are_printed() {
        let Ok(Request::Print(help)) = parse_args(&["--help"]) else {
            panic!("--help did not print");
        };
        assert!(help.contains("--consumers <N>"));
        assert!(!help.contains("--producers"));
        assert_eq!(
            parse_args(&["--version"]),
            Ok(Request::Print("one-many 0.1.0\n".into()))
        );
    }
}
