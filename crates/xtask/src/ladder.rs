//! `cargo xtask ladder`: the cost of one message, from Python's
//! `queue.Queue` to a Redis stream, measured side by side in one run and
//! drawn as one picture. One producer thread, one consumer thread (or
//! process, for Redis), a buffer of 1,024, each kind five times; the
//! median time per message. Writes `book/src/choosing/ladder.svg` and
//! `ladder.md`.

use std::fmt::Write as _;
use std::fs;
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use harness::redis_server::RedisServer;
use svg::node::element::{Line, Rectangle, Text, Title};

use crate::perf::{blank_chart, median, time};
use crate::redis_cost::{Pace, redis_run};
use harness::programs::workspace_root;

/// Messages per repeat through a channel in one process.
const MESSAGES: u64 = 200_000;
/// Repeats of each kind; the report keeps the median.
const REPEATS: usize = 5;
/// Slots in every bounded buffer.
const CAPACITY: usize = 1024;

/// Moves `n` numbers from one producer thread to one consumer thread,
/// with `send` and `recv` on the two ends; the time it took.
fn pair<T: Send, R: Send>(
    (mut tx, mut rx): (T, R),
    n: u64,
    send: fn(&mut T, u64),
    recv: fn(&mut R) -> u64,
) -> Duration {
    let started = Instant::now();
    thread::scope(|scope| {
        scope.spawn(move || {
            for i in 0..n {
                send(&mut tx, i);
            }
        });
        scope.spawn(move || {
            // Each number is checked, so the work cannot be skipped.
            for i in 0..n {
                assert_eq!(recv(&mut rx), i, "in order, one producer");
            }
        });
    });
    started.elapsed()
}

/// The run of a channel whose ends have `send(value)` and `recv()`, as
/// std's, flume's, crossbeam's and kanal's do.
macro_rules! blocking {
    ($name:expr, $channel:expr) => {
        (
            $name,
            pair(
                $channel,
                MESSAGES,
                |tx, i| tx.send(i).expect("a receiver"),
                |rx| rx.recv().expect("a sender"),
            ),
        )
    };
}

/// Nanoseconds per message of each in-process kind, one run of each.
fn in_process() -> Vec<(&'static str, f64)> {
    let n = MESSAGES;
    let runs: [(&str, Duration); 6] = [
        (
            "Mutex+Condvar queue",
            pair(
                {
                    let queue = std::sync::Arc::new(mutex_queue::Queue::new(CAPACITY));
                    (std::sync::Arc::clone(&queue), queue)
                },
                n,
                |q, i| q.put(i),
                |q| q.get(),
            ),
        ),
        blocking!("std mpsc", std::sync::mpsc::sync_channel(CAPACITY)),
        blocking!("flume", flume::bounded(CAPACITY)),
        blocking!("crossbeam-channel", crossbeam_channel::bounded(CAPACITY)),
        blocking!("kanal", kanal::bounded(CAPACITY)),
        (
            "rtrb ring buffer",
            pair(rtrb::RingBuffer::new(CAPACITY), n, ring_push, ring_pop),
        ),
    ];
    runs.into_iter()
        .map(|(name, took)| (name, took.as_nanos() as f64 / n as f64))
        .collect()
}

/// The ring buffer never blocks: a full one is tried again.
fn ring_push(tx: &mut rtrb::Producer<u64>, i: u64) {
    while tx.push(i).is_err() {
        std::hint::spin_loop();
    }
}

/// The ring buffer never blocks: an empty one is tried again.
fn ring_pop(rx: &mut rtrb::Consumer<u64>) -> u64 {
    loop {
        if let Ok(i) = rx.pop() {
            return i;
        }
        std::hint::spin_loop();
    }
}

/// Nanoseconds per message through Python's `queue.Queue`, one run.
fn python() -> Result<f64, String> {
    let script = workspace_root().join("benches/python/queue_throughput.py");
    let output = Command::new("python3")
        .arg(&script)
        .args(["--kind", "Queue", "--capacity", &CAPACITY.to_string()])
        .args([
            "--messages",
            "50000",
            "--producers",
            "1",
            "--consumers",
            "1",
        ])
        .args(["--repeats", "1"])
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run python3: {e}"))?;
    let value: serde_json::Value =
        serde_json::from_slice(&output.stdout).map_err(|e| format!("python output: {e}"))?;
    value["ns_per_message"][0]
        .as_f64()
        .ok_or_else(|| format!("{}: no measurement", script.display()))
}

/// Nanoseconds per message through a Redis stream on a private server,
/// one command per message and 100 per round trip, one run of each.
fn redis(server: &RedisServer) -> [(&'static str, f64); 2] {
    let per_message = redis_run(server, (1, 1), 5_000, 1, Pace::Flood);
    let batched = redis_run(server, (1, 1), 100_000, 100, Pace::Flood);
    [
        ("Redis, a command per message", 1e9 / per_message.per_second),
        ("Redis, 100 per round trip", 1e9 / batched.per_second),
    ]
}

/// Measures every rung five times, round by round so that each kind
/// meets the same machine, and writes the picture and the table.
pub fn report() -> Result<(), String> {
    let server = RedisServer::start("ladder");
    let mut samples: Vec<(&'static str, Vec<f64>)> = Vec::new();
    for round in 0..REPEATS {
        let mut row = vec![("Python queue.Queue", python()?)];
        row.extend(in_process());
        row.extend(redis(&server));
        for (k, (name, ns)) in row.into_iter().enumerate() {
            if round == 0 {
                samples.push((name, Vec::new()));
            }
            samples[k].1.push(ns);
        }
        eprintln!("round {} of {REPEATS} done", round + 1);
    }
    let rungs: Vec<(&str, f64)> = samples.iter().map(|(n, s)| (*n, median(s))).collect();
    let dir = workspace_root().join("book/src/choosing");
    fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let write = |file: &str, text: String| {
        fs::write(dir.join(file), text).map_err(|e| format!("{file}: {e}"))
    };
    write("ladder.svg", picture(&rungs))?;
    write("ladder.md", table(&rungs))?;
    println!("wrote book/src/choosing/ladder.svg and ladder.md");
    Ok(())
}

/// The medians as a table, with each rung's cost against flume's.
fn table(rungs: &[(&str, f64)]) -> String {
    let flume = rungs
        .iter()
        .find(|(n, _)| *n == "flume")
        .map_or(1.0, |r| r.1);
    let mut md = String::from(
        "<!-- Written by `cargo xtask ladder`; run it again rather than editing. -->\n\n\
         | one producer, one consumer, 1,024 slots | time per message | against flume |\n\
         |---|---|---|\n",
    );
    for (name, ns) in rungs {
        let _ = writeln!(md, "| {name} | {} | {:.2}× |", time(*ns), ns / flume);
    }
    md
}

/// One bar per rung, on a logarithmic axis from 1 ns to 1 ms.
fn picture(rungs: &[(&str, f64)]) -> String {
    const WIDTH: f64 = 960.0;
    const LEFT: f64 = 260.0;
    const BAR: f64 = 26.0;
    let plot = WIDTH - LEFT - 40.0;
    let x = |ns: f64| LEFT + plot * (ns.clamp(1.0, 1e6).log10() / 6.0);
    let height = 70.0 + BAR * rungs.len() as f64 + 40.0;
    let text = |x: f64, y: f64, content: String, anchor: &str| {
        Text::new(content)
            .set("x", x)
            .set("y", y)
            .set("font-size", 13)
            .set("text-anchor", anchor.to_string())
    };
    let mut document = blank_chart(WIDTH, height).add(
        text(
            LEFT,
            26.0,
            "Time per message (log scale; shorter is cheaper)".into(),
            "start",
        )
        .set("font-size", 17)
        .set("font-weight", "bold"),
    );
    let bottom = 50.0 + BAR * rungs.len() as f64;
    for exponent in 0..=6 {
        let ns = 10f64.powi(exponent);
        document = document
            .add(
                Line::new()
                    .set("x1", x(ns))
                    .set("x2", x(ns))
                    .set("y1", 44)
                    .set("y2", bottom)
                    .set("stroke", "#DDDDDD"),
            )
            .add(text(x(ns), bottom + 18.0, time(ns), "middle"));
    }
    for (k, (name, ns)) in rungs.iter().enumerate() {
        let y = 50.0 + BAR * k as f64;
        document = document
            .add(text(LEFT - 8.0, y + BAR * 0.65, (*name).to_string(), "end"))
            .add(
                Rectangle::new()
                    .set("class", "rung")
                    .set("x", LEFT)
                    .set("y", y + 3.0)
                    .set("width", (x(*ns) - LEFT).max(1.0))
                    .set("height", BAR - 6.0)
                    .set("fill", "#0072B2")
                    .add(Title::new(format!("{name}: {}", time(*ns)))),
            )
            .add(text(x(*ns) + 6.0, y + BAR * 0.65, time(*ns), "start"));
    }
    let mut svg = document.to_string();
    svg.push('\n');
    svg
}
