// ANCHOR: all
//! The words every program of this project shares, and nothing else: the
//! item and how it prints, the message that carries it or says "no more
//! items", the simulated effort, and the run's settings from the command
//! line.
//!
//! To use it in a project of your own, copy this file to `src/common.rs`
//! next to the program's `main.rs`, add `mod common;` to `main.rs`, and
//! add its two dependencies: `cargo add rand` and
//! `cargo add clap --features derive,string`.

// Copied as a module, a program uses only some of these words (a program
// without a sentinel never names `Message`): that is no mistake.
#![allow(dead_code)]

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering::Relaxed};
use std::{fmt, panic, process, time::Duration};

use clap::{builder::RangedU64ValueParser, error::ErrorKind, parser::ValueSource};

// ANCHOR: item
/// One unit of work: the tutorial's tuple `(i, value)`. `i` counts a
/// producer's items from 0; `value`, a random number in `[0, 1)`, is also
/// how many seconds of simulated effort the item costs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Item {
    /// The item's place in its producer's sequence.
    pub i: usize,
    /// A random number in `[0, 1)`.
    pub value: f64,
}

impl fmt::Display for Item {
    /// `(i, value)`, as Python prints the tuple: `{:?}` gives the shortest
    /// text that reads back as the same `f64` (and `0.0` for zero).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "({}, {:?})", self.i, self.value)
    }
}

/// What travels through the queue: an item, or the sentinel that says "no
/// more items" (Python's `None`; here a variant of its own, which can never
/// be mistaken for an item).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Message {
    /// A unit of work.
    Item(Item),
    /// No more items will come.
    Sentinel,
}
// ANCHOR_END: item

/// What a program is, for its `--help`, and what it runs by default.
pub struct Program {
    /// The command's name.
    pub name: &'static str,
    /// One line for `--help`.
    pub about: &'static str,
    /// Producer threads by default; `--producers` changes it if there are
    /// several.
    pub producers: usize,
    /// Consumer threads by default; `--consumers` changes it if there are
    /// several.
    pub consumers: usize,
    /// Items each producer makes by default.
    pub items: usize,
}

// ANCHOR: settings
/// The settings of one run, read from the command line by clap: each
/// field's comment is its line in `--help`. What differs from program to
/// program (how many threads and items by default, and whether there can
/// be several producers or consumers) is set in [`parse`].
#[derive(clap::Parser, Debug, Clone, PartialEq)]
pub struct Settings {
    /// How many producer threads to start (at most 1000)
    #[arg(long, value_name = "N", allow_hyphen_values = true)]
    pub producers: usize,
    /// How many consumer threads to start (at most 1000)
    #[arg(long, value_name = "N", allow_hyphen_values = true)]
    pub consumers: usize,
    /// How many items each producer makes
    #[arg(long, value_name = "N", allow_hyphen_values = true)]
    pub items: usize,
    /// Makes the run's items reproducible: the same seed gives the same
    /// items. Without it the seed is random, and printed on stderr
    #[arg(long, value_name = "S", default_value_t = rand::random(), hide_default_value = true, allow_hyphen_values = true)]
    pub seed: u64,
    /// Multiplies every simulated sleep: 0.1 runs ten times faster, 0 does
    /// not sleep at all
    #[arg(long, value_name = "X", default_value_t = 1.0, value_parser = time_scale, allow_hyphen_values = true)]
    pub time_scale: f64,
    /// Bounds the buffer to N items: a full buffer makes producers wait. 0
    /// is a rendezvous: each item is handed over directly. Unbounded if not
    /// given, like Python's queue.Queue()
    #[arg(long, value_name = "N", allow_hyphen_values = true)]
    pub capacity: Option<usize>,
    /// Makes one thread panic when it starts work on item number I, to see
    /// how the program copes. WHO is producer or consumer, with its number
    /// where there are several (consumer-2:3); without the number, the
    /// first of them to start item I
    #[arg(long, value_name = "WHO:I", value_parser = thread_and_item, allow_hyphen_values = true)]
    pub panic_at: Option<(String, usize)>,
    /// Multiplies the producers' effort by P and the consumers' by C:
    /// 8:0.125 makes slow producers and quick consumers (used to grade
    /// exercises)
    #[arg(long, value_name = "P:C", value_parser = pace, hide = true)]
    pub pace: Option<(f64, f64)>,
    /// Varies each thread's effort on each item, from the seed: between
    /// none and twice the value (used to grade exercises)
    #[arg(long, hide = true)]
    pub jitter: bool,
    /// Makes thread WHO (every producer, or every consumer, or one) stop
    /// before its work on item I, or the first after it, until a line, or
    /// the end, of standard input comes: a gap as long as grading holds
    /// it, or until you press Enter; each thread says on standard error
    /// which item it starts (used to grade exercises)
    #[arg(long, value_name = "WHO:I", value_parser = thread_and_item, allow_hyphen_values = true, hide = true)]
    pub stall: Option<(String, usize)>,
}
// ANCHOR_END: settings

// ANCHOR: effort
impl Settings {
    /// The random values of producer number `producer`: each has its own
    /// sequence, from the run's seed, so a seed repeats a run's items.
    pub fn rng(&self, producer: usize) -> Values {
        producer_rng(self.seed, producer)
    }

    /// How long thread `who` works on `item`: `item.value` seconds times
    /// the time scale, which a program sleeps, as the tutorial's
    /// `sleep(value)` does (an async task sleeps it on its runtime's
    /// timer). Panics first if `--panic-at` asks it to (after the gap
    /// grading's `--stall` asks for, if any: a thread held back, then dying).
    pub fn effort(&self, who: &str, item: Item) -> Duration {
        let seconds = self.graded(who, item, item.value * self.time_scale);
        if self.asks_to_panic(who, item) {
            fail(who, item, self.seed);
        }
        Duration::from_secs_f64(seconds)
    }
}
// ANCHOR_END: effort

/// Whether a thread has panicked as `--panic-at` asked: a side named
/// without a number ("consumer") makes only the first of its threads to
/// start the item panic.
static PANICKED_AS_ASKED: AtomicBool = AtomicBool::new(false);

/// The panic `--panic-at` asks for. Its message is a `String` in half the
/// runs and a `&'static str` in the other half (by the seed and the item),
/// as real panics carry either (`panic!("{x}")` and `panic!("text")`): a
/// program that reports only one of the two kinds shows it.
fn fail(who: &str, item: Item, seed: u64) -> ! {
    let message = format!("{who} failed while working on item {item} (as --panic-at asked)");
    if (seed + item.i as u64).is_multiple_of(2) {
        panic::panic_any(message)
    }
    panic::panic_any(&*message.leak())
}

impl Settings {
    /// Whether `--panic-at` asks thread `who` to panic as it starts work
    /// on `item`: the thread it names, or, for a side named without a
    /// number, the first of that side's threads to start the item.
    fn asks_to_panic(&self, who: &str, item: Item) -> bool {
        let who = who.to_lowercase();
        self.panic_at.as_ref().is_some_and(|(thread, i)| {
            let of_the_side = who.starts_with(&format!("{thread} "));
            *i == item.i
                && (who == *thread || of_the_side && !PANICKED_AS_ASKED.swap(true, Relaxed))
        })
    }

    /// `seconds` of `who`'s effort on `item`, as grading changes them:
    /// `--pace` and `--jitter` multiply them (the jitter, from 0 to 2, is
    /// drawn from the seed, the thread's name and the item); `--stall`
    /// first waits for standard input, and says on standard error who
    /// works on which item.
    fn graded(&self, who: &str, item: Item, seconds: f64) -> f64 {
        if let Some((thread, i)) = &self.stall {
            // Grading counts the items made and taken while the gap lasts.
            let _ = io::stderr().write_all(format!("graded: {who} {}\n", item.i).as_bytes());
            if item.i >= *i && who.to_lowercase().starts_with(&thread.to_lowercase()) {
                // A wait of no set length: grading ends it, from outside.
                let _ = io::stdin().read_line(&mut String::new());
                let _ = io::stderr().write_all(format!("graded: {who} goes on\n").as_bytes());
                return seconds;
            }
        }
        let (p, c) = self.pace.unwrap_or((1.0, 1.0));
        let side = if who.to_ascii_lowercase().starts_with("producer") {
            p
        } else {
            c
        };
        if !self.jitter {
            return seconds * side;
        }
        let name = (who.bytes()).fold(self.seed, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x100_0000_01B3)
        });
        let jitter = Values(name ^ (item.i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)).random();
        seconds * side * 2.0 * jitter
    }
}

// ANCHOR: values
/// A producer's random values: `SplitMix64`, a generator small enough to
/// write the same in Python (`examples/python/common.py`), so that a seed
/// makes the same items in both languages.
pub struct Values(u64);

impl Values {
    /// The next value, in `[0, 1)`.
    pub fn random(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        // The top 53 bits: as many as an f64 holds exactly.
        (z >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// The random values of producer number `producer` in a run with `seed`.
pub fn producer_rng(seed: u64, producer: usize) -> Values {
    Values(seed ^ (producer as u64).wrapping_mul(0xD1B5_4A32_D192_ED03))
}
// ANCHOR_END: values

/// What `--help` says after the flags: the exit codes.
const AFTER_HELP: &str = "\
Exit codes: 0 the run finished, every thread joined; 2 bad command-line input;
3 the output could not be written; 4 the system refused to start a thread;
101 a thread panicked (Rust's code for a panic); 141 standard output was
closed by its reader (as in `| head -1`)";

/// A program with a flag of its own reads its own flags struct, with the
/// shared [`Settings`] among them (`#[command(flatten)]`) and given by
/// `as_ref`. `Settings` alone is the common case.
impl AsRef<Settings> for Settings {
    fn as_ref(&self) -> &Settings {
        self
    }
}

impl Settings {
    /// The settings the command line asks for. Prints the help, the version,
    /// or a one-line error (exit code 2) and ends the program instead, if
    /// that is what it asks for. Also makes the system's refusals end the
    /// program cleanly (see [`end_cleanly_when_refused`]).
    pub fn from_command_line(program: &Program) -> Settings {
        read_command_line(program)
    }

    /// Refuses what clap cannot see, one flag against another: more items
    /// than memory may hold, or a panic asked of a thread the run does not
    /// have.
    fn check(&self, program: &Program) -> Result<(), String> {
        let total = self.producers.saturating_mul(self.items);
        if total > 100_000_000 {
            return Err(format!("too many items: {total}; the most is 100000000"));
        }
        let Some((who, i)) = &self.panic_at else {
            return Ok(());
        };
        // A thread is "producer" if it is the only one, else "producer 2";
        // and a side without its number is the first of its threads to
        // start item I.
        let (several_p, several_c) = (program.producers > 1, program.consumers > 1);
        let producers = (0..self.producers)
            .filter(|_| several_p)
            .map(|n| format!("producer {n}"));
        let consumers = (0..self.consumers)
            .filter(|_| several_c)
            .map(|n| format!("consumer {n}"));
        let flag = format!("--panic-at {}", who.replace(' ', "-"));
        let side = who == "producer" || who == "consumer";
        if !side && !producers.chain(consumers).any(|thread| thread == *who) {
            return Err(format!("{flag} names a thread this run does not have"));
        }
        if *i >= self.items {
            return Err(format!("{flag}:{i}: there are {} items", self.items));
        }
        Ok(())
    }
}

// ANCHOR: from_command_line
/// What [`Settings::from_command_line`] does, for any program's flags `T`.
pub fn read_command_line<T: clap::Parser + AsRef<Settings>>(program: &Program) -> T {
    end_cleanly_when_refused(program.name);
    match parse::<T>(program, std::env::args().skip(1)) {
        Ok((flags, true)) => flags,
        Ok((flags, false)) => {
            // A note that cannot be shown (stderr on a full disk) must not
            // stop the run, as `eprintln!` would.
            let seed = flags.as_ref().seed;
            let _ = writeln!(io::stderr(), "random run; repeat it with --seed {seed}");
            flags
        }
        // `--help` and `--version` come as "errors" to print on stdout
        // (with `print!`, so that a full disk is an error here too).
        Err(help) if !help.use_stderr() => {
            print!("{help}");
            process::exit(0);
        }
        // clap's own message and exit code, 2.
        Err(error) => error.exit(),
    }
}
// ANCHOR_END: from_command_line

/// Reads `args` (without the program's name) into program `program`'s
/// flags `T`, with clap, then checks what clap cannot; also says whether
/// the seed was given.
pub fn parse<T: clap::Parser + AsRef<Settings>>(
    program: &Program,
    args: impl IntoIterator<Item = String>,
) -> Result<(T, bool), clap::Error> {
    let argv = std::iter::once(program.name.to_string()).chain(args);
    let mut command = command::<T>(program);
    let matches = command.try_get_matches_from_mut(argv)?;
    let flags = T::from_arg_matches(&matches)?;
    let checked = flags.as_ref().check(program);
    checked.map_err(|message| command.error(ErrorKind::ValueValidation, message))?;
    let seeded = matches.value_source("seed") == Some(ValueSource::CommandLine);
    Ok((flags, seeded))
}

/// The command line of program `program`: its name and its defaults.
fn command<T: clap::CommandFactory>(program: &Program) -> clap::Command {
    T::command()
        .name(program.name)
        .about(program.about)
        .version(env!("CARGO_PKG_VERSION"))
        .after_help(AFTER_HELP)
        .mut_arg("producers", threads(program.producers))
        .mut_arg("consumers", threads(program.consumers))
        .mut_arg("items", |arg| default(arg, program.items))
}

/// `--producers`, `--consumers`: from 1 to 1000 threads, `count` if not
/// given. A program made for one producer (or consumer) hides the flag and
/// takes no other count.
fn threads(count: usize) -> impl FnOnce(clap::Arg) -> clap::Arg {
    let range = RangedU64ValueParser::<usize>::new().range(1..=if count == 1 { 1 } else { 1000 });
    move |arg| default(arg, count).hide(count == 1).value_parser(range)
}

/// `arg`, which the struct requires, given a default for this program.
fn default(arg: clap::Arg, value: usize) -> clap::Arg {
    arg.required(false).default_value(value.to_string())
}

/// `--time-scale`: a number from 0 to 1000.
fn time_scale(text: &str) -> Result<f64, String> {
    match text.parse() {
        Ok(scale) if (0.0..=1_000.0).contains(&scale) => Ok(scale),
        _ => Err("a number from 0 to 1000".to_string()),
    }
}

/// `--pace P:C`: two time scales, for producers and for consumers.
fn pace(text: &str) -> Result<(f64, f64), String> {
    let (p, c) = text
        .split_once(':')
        .ok_or("expected P:C, such as 8:0.125")?;
    Ok((time_scale(p)?, time_scale(c)?))
}

/// `--panic-at WHO:I`: the thread, as it names itself ("producer 1"), and
/// the item.
fn thread_and_item(value: &str) -> Result<(String, usize), String> {
    let expected = "expected WHO:I, such as consumer:3 or producer-1:0";
    let (who, i) = value.split_once(':').ok_or(expected)?;
    Ok((who.replace('-', " "), i.parse().map_err(|_| expected)?))
}

// ANCHOR: refused
/// Makes the system's refusals end the program `name` at once, with one
/// line and an exit code of their own, instead of a panic and a backtrace.
///
/// `println!` panics when standard output cannot be written (a full disk,
/// or a reader that went away, as `| head -1` does), and `thread::scope`'s
/// `spawn` panics when the system refuses a thread. Neither is a bug of a
/// producer or a consumer, and the second can hang a program whose other
/// threads wait for the one that never started. This panic hook, one place
/// for the whole program, ends the process instead; every other panic is
/// reported as usual.
pub fn end_cleanly_when_refused(name: &'static str) {
    let report_as_usual = panic::take_hook();
    panic::set_hook(Box::new(move |info| {
        // The standard library's refusals panic with a formatted `String`.
        let message = info.payload().downcast_ref::<String>();
        let Some((code, line)) = message.and_then(|message| refusal(message)) else {
            return report_as_usual(info);
        };
        if let Some(line) = line {
            // One write, so that two threads refused at once cannot mix
            // their lines; and not `eprintln!`, whose panic would abort.
            let _ = io::stderr().write_all(format!("{name}: error: {line}\n").as_bytes());
        }
        // Ends every thread now, those waiting for this one too.
        process::exit(code);
    }));
}

/// The exit code, and what to say, for a panic that is one of the system's
/// refusals; `None` for any other panic.
pub fn refusal(message: &str) -> Option<(i32, Option<String>)> {
    if let Some(error) = message.strip_prefix("failed printing to stdout: ") {
        // A reader that stopped reading is no error; a full disk is.
        if error.contains("Broken pipe") {
            return Some((141, None));
        }
        return Some((3, Some(format!("cannot write the output: {error}"))));
    }
    if message.starts_with("failed printing to stderr") {
        return Some((3, None)); // Nowhere left to say it.
    }
    let error = message.strip_prefix("failed to spawn thread: ")?;
    // `Os { code: 11, kind: WouldBlock, message: "Resource temporarily unavailable" }`
    let reason = error.split('"').nth(1).unwrap_or(error);
    let line = format!("could not start a thread: the system refused it ({reason})");
    Some((4, Some(line)))
}
// ANCHOR_END: refused

// ANCHOR_END: all

#[cfg(test)]
mod tests {
    use super::*;

    const MANY_MANY: Program = Program {
        name: "many-many",
        about: "Many producers, many consumers",
        producers: 3,
        consumers: 5,
        items: 10,
    };

    const ONE_MANY: Program = Program {
        producers: 1,
        consumers: 3,
        ..MANY_MANY
    };

    fn parse(program: &Program, args: &[&str]) -> Result<(Settings, bool), String> {
        let args = args.iter().map(std::string::ToString::to_string);
        super::parse(program, args).map_err(|error| error.to_string())
    }

    /// The settings of a many-many run whose thread WHO:I panics.
    fn panicking_at(who_and_item: &str) -> Settings {
        let args = ["--time-scale", "0", "--panic-at", who_and_item];
        parse(&MANY_MANY, &args).expect("a run").0
    }

    const PYTHON_42_1: [&str; 3] = [
        "0.7846333828452882",
        "0.23125012784335164",
        "0.285461471804242",
    ];

    #[test]
    fn values_are_the_python_programs_values() {
        // What examples/python/common.py's Values(42, 1) gives first.
        let mut values = producer_rng(42, 1);
        let first: Vec<String> = (0..3).map(|_| format!("{:?}", values.random())).collect();
        assert_eq!(first, PYTHON_42_1);
        assert!((0..10_000).all(|_| (0.0..1.0).contains(&values.random())));
    }

    #[test]
    fn items_print_like_python_tuples() {
        let item = Item {
            i: 0,
            value: 0.177_320_915_702_940_4,
        };
        assert_eq!(item.to_string(), "(0, 0.1773209157029404)");
        assert_eq!(Item { i: 3, value: 0.0 }.to_string(), "(3, 0.0)");
    }

    #[test]
    fn flags_set_the_settings() {
        let args = [
            "--items",
            "4",
            "--seed=9",
            "--time-scale",
            "0.5",
            "--capacity",
            "0",
            "--consumers",
            "7",
            "--panic-at",
            "consumer-2:3",
            "--pace",
            "8:0.125",
            "--jitter",
            "--stall",
            "Consumer-1:2",
        ];
        let expected = Settings {
            producers: 3,
            consumers: 7,
            items: 4,
            seed: 9,
            time_scale: 0.5,
            capacity: Some(0),
            panic_at: Some(("consumer 2".into(), 3)),
            pace: Some((8.0, 0.125)),
            jitter: true,
            stall: Some(("Consumer 1".into(), 2)),
        };
        assert_eq!(parse(&MANY_MANY, &args), Ok((expected, true)));
    }

    #[test]
    fn bad_input_gets_clap_s_message_that_names_the_flag() {
        for (program, args, expected) in [
            (
                MANY_MANY,
                &["--items", "abc"][..],
                "invalid value 'abc' for '--items <N>'",
            ),
            (
                MANY_MANY,
                &["--consumers", "0"],
                "invalid value '0' for '--consumers <N>': 0 is not in 1..=1000",
            ),
            (
                MANY_MANY,
                &["--time-scale", "-1"],
                "'-1' for '--time-scale <X>': a number from 0 to 1000",
            ),
            (
                MANY_MANY,
                &["--time-scale", "nan"],
                "a number from 0 to 1000",
            ),
            (
                MANY_MANY,
                &["--seed", "-3"],
                "invalid value '-3' for '--seed <S>'",
            ),
            (
                ONE_MANY,
                &["--producers", "2"],
                "invalid value '2' for '--producers <N>': 2 is not in 1..=1",
            ),
            (
                MANY_MANY,
                &["--items"],
                "a value is required for '--items <N>'",
            ),
            (
                MANY_MANY,
                &["--items", "99999999999999999999"],
                "number too large",
            ),
            (MANY_MANY, &["--items", "200000000"], "too many"),
            (
                MANY_MANY,
                &["--producers", "1001"],
                "1001 is not in 1..=1000",
            ),
            (MANY_MANY, &["--time-scale", "1001"], "from 0 to 1000"),
            (
                MANY_MANY,
                &["--panic-at", "consumer-5:0"],
                "consumer-5 names a thread",
            ),
            (
                ONE_MANY,
                &["--panic-at", "producer-0:0"],
                "producer-0 names a thread",
            ),
            (
                MANY_MANY,
                &["--panic-at", "producer-2:10"],
                "there are 10 items",
            ),
            (MANY_MANY, &["--panic-at", "nobody"], "expected WHO:I"),
            (
                MANY_MANY,
                &["--panic-at", "nobody:1"],
                "nobody names a thread",
            ),
            (MANY_MANY, &["extra"], "unexpected argument 'extra'"),
        ] {
            let error = parse(&program, args).unwrap_err();
            assert!(error.starts_with("error: "), "{args:?}: {error:?}");
            assert!(error.contains(expected), "{args:?}: {error:?}");
            assert!(error.contains("--help"), "{args:?}: {error:?}");
        }
    }

    #[test]
    fn help_names_only_the_flags_a_program_takes() {
        let args = ["one-many", "--help"];
        let help = command::<Settings>(&ONE_MANY).try_get_matches_from(args);
        let help = help.expect_err("--help stops the parse").to_string();
        assert!(help.contains("--consumers <N>"), "{help}");
        assert!(!help.contains("--producers"), "{help}");
        assert!(help.contains("Exit codes:"), "{help}");
        let version = command::<Settings>(&ONE_MANY).try_get_matches_from(["", "--version"]);
        let version = version.expect_err("--version stops the parse").to_string();
        assert_eq!(
            version,
            format!("many-many {}\n", env!("CARGO_PKG_VERSION"))
        );
    }

    #[test]
    fn pace_and_jitter_change_each_role_s_effort_reproducibly() {
        let run = |args: &[&str]| parse(&MANY_MANY, args);
        let Ok((paced, _)) = run(&["--pace", "8:0.125", "--seed", "3"]) else {
            panic!("not a run");
        };
        let item = Item { i: 2, value: 0.5 };
        assert_eq!(paced.effort("Producer 1", item), Duration::from_secs(4));
        assert_eq!(
            paced.effort("Consumer 0", item),
            Duration::from_millis(62) + Duration::from_micros(500)
        );
        let Ok((jittery, _)) = run(&["--jitter", "--seed", "3"]) else {
            panic!("not a run");
        };
        let efforts: Vec<Duration> = (0..20)
            .map(|i| jittery.effort("Consumer 0", Item { i, value: 0.5 }))
            .collect();
        assert!(efforts.iter().all(|e| *e < Duration::from_secs(1)));
        assert!(efforts.windows(2).any(|pair| pair[0] != pair[1]));
        assert_ne!(
            jittery.effort("Consumer 0", item),
            jittery.effort("Consumer 1", item),
            "each thread its own"
        );
        assert_eq!(
            jittery.effort("Consumer 0", item),
            jittery.effort("Consumer 0", item)
        );
        assert!(run(&["--pace", "8"]).is_err());
        assert!(run(&["--pace", "-1:2"]).is_err());
    }

    #[test]
    fn effort_panics_only_where_asked() {
        let settings = panicking_at("consumer-2:3");
        settings.effort("Consumer 1", Item { i: 3, value: 0.5 });
        settings.effort("Consumer 2", Item { i: 2, value: 0.5 });
        let panicked = std::panic::catch_unwind(|| {
            settings.effort("Consumer 2", Item { i: 3, value: 0.5 });
        });
        assert!(panicked.is_err());
    }

    #[test]
    fn a_side_without_a_number_panics_in_its_first_thread_to_start_the_item() {
        let settings = panicking_at("consumer:3");
        let item = Item { i: 3, value: 0.5 };
        assert!(!settings.asks_to_panic("Producer 0", item));
        assert!(!settings.asks_to_panic("Consumer 1", Item { i: 2, value: 0.5 }));
        assert!(settings.asks_to_panic("Consumer 1", item));
        // Only the first: the others go on with their own item 3.
        assert!(!settings.asks_to_panic("Consumer 2", item));
        assert!(!settings.asks_to_panic("Consumer 1", item));
    }

    #[test]
    fn the_system_s_refusals_have_their_own_codes() {
        let full = "failed printing to stdout: No space left on device (os error 28)";
        assert_eq!(
            refusal(full),
            Some((
                3,
                Some("cannot write the output: No space left on device (os error 28)".into())
            ))
        );
        let closed = "failed printing to stdout: Broken pipe (os error 32)";
        assert_eq!(refusal(closed), Some((141, None)));
        let refused = "failed to spawn thread: Os { code: 11, kind: WouldBlock, \
                       message: \"Resource temporarily unavailable\" }";
        let line = "could not start a thread: the system refused it \
                    (Resource temporarily unavailable)";
        assert_eq!(refusal(refused), Some((4, Some(line.into()))));
        assert_eq!(
            refusal("Consumer 2 failed while working on item (3, 0.5)"),
            None
        );
    }
}
