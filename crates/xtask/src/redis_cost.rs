//! `cargo xtask redis-cost`: what crossing a process costs. The same
//! messages through a flume channel in one process, and through a Redis
//! stream on a private server, one command per message or in batches,
//! with one and four producers and consumers, side by side in one run.
//! Writes `book/src/performance/redis.md`.

use std::fmt::Write as _;
use std::fs;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use harness::redis_server::RedisServer;
use redis::Commands;
use redis::streams::{StreamReadOptions, StreamReadReply};

use crate::perf::median;
use harness::programs::workspace_root;

/// Every clock reading in this process is taken against one start, so a
/// message can carry the moment it was sent.
fn now_ns() -> u64 {
    static START: OnceLock<Instant> = OnceLock::new();
    START.get_or_init(Instant::now).elapsed().as_nanos() as u64
}

/// How the producers send: as fast as they can (to measure throughput),
/// or each with one message (one batch) in flight at a time, waiting until
/// it is received before sending the next (to measure latency with no
/// queue).
#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Pace {
    Flood,
    OneInFlight,
}

/// What the consumers have received from each producer, for [`Pace`].
struct Received(Vec<AtomicUsize>);

impl Received {
    fn new(producers: usize) -> Received {
        Received((0..producers).map(|_| AtomicUsize::new(0)).collect())
    }

    fn one_more(&self, producer: usize) {
        self.0[producer].fetch_add(1, Ordering::Release);
    }

    fn total(&self) -> usize {
        self.0.iter().map(|n| n.load(Ordering::Acquire)).sum()
    }

    /// With one message in flight, waits until message number `sent` of
    /// `producer` has been received.
    fn wait_for(&self, pace: Pace, producer: usize, sent: usize) {
        while pace == Pace::OneInFlight && self.0[producer].load(Ordering::Acquire) < sent {
            thread::yield_now();
        }
    }
}

/// One measurement: messages per second over the whole run, and the
/// median time from a message's send to its receipt.
#[derive(Clone, Copy)]
pub(crate) struct Measured {
    pub(crate) per_second: f64,
    latency: Duration,
}

/// Messages through a bounded flume channel of 1,024 slots.
fn flume_run(producers: usize, consumers: usize, total: usize, pace: Pace) -> Measured {
    let (sender, receiver) = flume::bounded::<(usize, u64)>(1024);
    let received = Received::new(producers);
    let started = Instant::now();
    let latencies = thread::scope(|scope| {
        for p in 0..producers {
            let (sender, received) = (sender.clone(), &received);
            scope.spawn(move || {
                for n in 1..=total / producers {
                    sender.send((p, now_ns())).expect("a receiver");
                    received.wait_for(pace, p, n);
                }
            });
        }
        drop(sender);
        let readers: Vec<_> = (0..consumers)
            .map(|_| {
                let (receiver, received) = (receiver.clone(), &received);
                scope.spawn(move || {
                    let mut latencies = Vec::new();
                    for (p, sent) in receiver {
                        latencies.push(now_ns() - sent);
                        received.one_more(p);
                    }
                    latencies
                })
            })
            .collect();
        joined(readers)
    });
    measured(latencies, started.elapsed())
}

/// Messages through a Redis stream, in a consumer group: producers add
/// `batch` entries per round trip (one XADD each, pipelined), consumers
/// read up to `batch` per XREADGROUP and acknowledge them with one XACK.
pub(crate) fn redis_run(
    server: &RedisServer,
    (producers, consumers): (usize, usize),
    total: usize,
    batch: usize,
    pace: Pace,
) -> Measured {
    let stream = format!("cost-{producers}-{consumers}-{batch}-{}", now_ns());
    let mut con = server.connect();
    let _: () = con
        .xgroup_create_mkstream(&stream, "g", "0")
        .expect("a group");
    let received = Received::new(producers);
    let started = Instant::now();
    let latencies = thread::scope(|scope| {
        for p in 0..producers {
            let (stream, received, mut con) = (&stream, &received, server.connect());
            scope.spawn(move || {
                let mut sent = 0;
                while sent < total / producers {
                    let n = (total / producers - sent).min(batch);
                    let mut pipe = redis::pipe();
                    for _ in 0..n {
                        pipe.xadd(stream, "*", &[("p", p as u64), ("t", now_ns())])
                            .ignore();
                    }
                    let () = pipe.query(&mut con).expect("XADD");
                    sent += n;
                    received.wait_for(pace, p, sent);
                }
            });
        }
        let readers: Vec<_> = (0..consumers)
            .map(|id| {
                let (stream, received, mut con) = (&stream, &received, server.connect());
                scope.spawn(move || {
                    let name = format!("c{id}");
                    let options = StreamReadOptions::default()
                        .group("g", &name)
                        .count(batch)
                        .block(10);
                    let mut latencies = Vec::new();
                    while received.total() < total {
                        let reply: StreamReadReply = con
                            .xread_options(&[stream], &[">"], &options)
                            .expect("XREADGROUP");
                        let entries: Vec<_> = reply.keys.into_iter().flat_map(|k| k.ids).collect();
                        if entries.is_empty() {
                            continue;
                        }
                        let ids: Vec<&String> = entries.iter().map(|entry| &entry.id).collect();
                        let _: usize = con.xack(stream, "g", &ids).expect("XACK");
                        for entry in &entries {
                            let sent: u64 = entry.get("t").expect("a time");
                            latencies.push(now_ns() - sent);
                            received.one_more(entry.get::<usize>("p").expect("a producer"));
                        }
                    }
                    latencies
                })
            })
            .collect();
        joined(readers)
    });
    let elapsed = started.elapsed();
    let _: () = con.del(&stream).expect("DEL");
    measured(latencies, elapsed)
}

/// Every consumer's latencies, in one list.
fn joined(readers: Vec<thread::ScopedJoinHandle<'_, Vec<u64>>>) -> Vec<u64> {
    readers
        .into_iter()
        .flat_map(|reader| reader.join().expect("a consumer"))
        .collect()
}

fn measured(mut latencies: Vec<u64>, elapsed: Duration) -> Measured {
    latencies.sort_unstable();
    Measured {
        per_second: latencies.len() as f64 / elapsed.as_secs_f64(),
        latency: Duration::from_nanos(latencies[latencies.len() / 2]),
    }
}

/// The real program's settings measured beside the raw commands: its
/// `--batch`, and its `--capacity` if bounded.
const PROGRAM_RUNS: [(usize, Option<usize>); 4] =
    [(1, None), (1, Some(100)), (100, None), (100, Some(1_000))];

/// The medians of three rounds, each running every kind once, side by side.
pub fn report() -> Result<(), String> {
    crate::programs::build_programs()?;
    let server = RedisServer::start("cost");
    let kinds = [
        "flume, one process",
        "Redis, one command per message",
        "Redis, batches of 100",
    ];
    let topologies = [(1, 1), (4, 4)];
    // Per kind and topology: throughput runs (flooding), latency runs (one
    // message in flight per producer).
    let mut rates: Vec<Vec<Vec<f64>>> = vec![vec![Vec::new(); topologies.len()]; kinds.len()];
    let mut delays: Vec<Vec<Vec<f64>>> = vec![vec![Vec::new(); topologies.len()]; kinds.len()];
    // Per setting of the real program and topology: items per second.
    let mut programs: Vec<Vec<Vec<f64>>> =
        vec![vec![Vec::new(); topologies.len()]; PROGRAM_RUNS.len()];
    for round in 1..=3 {
        eprintln!("redis-cost: round {round} of 3");
        for (t, &(p, c)) in topologies.iter().enumerate() {
            for (k, pace) in [(0, Pace::Flood), (1, Pace::OneInFlight)] {
                let runs = [
                    flume_run(p, c, [400_000, 20_000][k], pace),
                    redis_run(&server, (p, c), [20_000, 4_000][k], 1, pace),
                    redis_run(&server, (p, c), [200_000, 4_000][k], 100, pace),
                ];
                for (kind, run) in runs.iter().enumerate() {
                    match pace {
                        Pace::Flood => rates[kind][t].push(run.per_second),
                        Pace::OneInFlight => delays[kind][t].push(run.latency.as_secs_f64() * 1e6),
                    }
                }
            }
            for (r, &(batch, capacity)) in PROGRAM_RUNS.iter().enumerate() {
                programs[r][t].push(program_run(&server, (p, c), batch, capacity)?);
            }
        }
    }
    let mut table = String::from(
        "<!-- Written by `cargo xtask redis-cost`; run it again rather than editing. -->\n\n\
         | | 1 producer, 1 consumer | | 4 producers, 4 consumers | |\n\
         |---|---|---|---|---|\n\
         | | messages/s | latency | messages/s | latency |\n",
    );
    let mut rate = vec![[0.0; 2]; kinds.len()];
    for (k, kind) in kinds.iter().enumerate() {
        let _ = write!(table, "| {kind} |");
        for t in 0..topologies.len() {
            rate[k][t] = median(&rates[k][t]);
            let latency = median(&delays[k][t]);
            let _ = write!(table, " {} | {} |", thousands(rate[k][t]), micros(latency));
        }
        table.push('\n');
    }
    let _ = write!(
        table,
        "\nMessages per second: each producer sends as fast as it can. Latency: each \
         producer has one message (with batches, one batch) in flight at a time, so no \
         queue builds up; the median time from a message's send to its receipt. flume moves {:.0} and {:.0} times as many \
         messages per second as Redis with one command per message (1/1 and 4/4); batches \
         of 100 bring Redis within {:.0} and {:.0} times of flume.\n",
        rate[0][0] / rate[1][0],
        rate[0][1] / rate[1][1],
        rate[0][0] / rate[2][0],
        rate[0][1] / rate[2][1],
    );
    program_table(&programs, &mut table);
    let file = workspace_root().join("book/src/performance/redis.md");
    fs::write(&file, &table).map_err(|e| format!("{}: {e}", file.display()))?;
    println!("{table}");
    eprintln!("redis-cost: wrote book/src/performance/redis.md");
    Ok(())
}

/// The real program, `redis-streams --time-scale 0` with `batch` and
/// `capacity`, on `server`: items per second from start to exit.
fn program_run(
    server: &RedisServer,
    (p, c): (usize, usize),
    batch: usize,
    capacity: Option<usize>,
) -> Result<f64, String> {
    let exe = harness::programs::program_path("redis-streams");
    let total = if batch == 1 { 20_000 } else { 200_000 };
    let mut command = std::process::Command::new(&exe);
    command
        .env("REDIS_URL", server.url())
        .args([
            "--seed",
            "1",
            "--time-scale",
            "0",
            "--batch",
            &batch.to_string(),
        ])
        .args(["--producers", &p.to_string(), "--consumers", &c.to_string()])
        .args(["--items", &(total / p).to_string()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    if let Some(capacity) = capacity {
        command.args(["--capacity", &capacity.to_string()]);
    }
    let started = Instant::now();
    let status = command
        .status()
        .map_err(|e| format!("redis-streams: {e}"))?;
    if !status.success() {
        return Err(format!("redis-streams {:?} failed", command.get_args()));
    }
    Ok(total as f64 / started.elapsed().as_secs_f64())
}

/// The real program's rows, medians of the rounds.
fn program_table(programs: &[Vec<Vec<f64>>], table: &mut String) {
    let _ = write!(
        table,
        "\nThe real program, measured in the same rounds (`redis-streams --time-scale 0`, \
         20,000 items, or 200,000 in batches, from start to exit; per batch a producer \
         makes one script call, a consumer one `EXISTS`, one read and one script call \
         that acknowledges and deletes), items per second:\n\n\
         | `redis-streams` | 1/1 | 4/4 |\n|---|---|---|\n"
    );
    for (r, &(batch, capacity)) in PROGRAM_RUNS.iter().enumerate() {
        let bound = capacity.map_or(String::new(), |n| format!(" --capacity {n}"));
        let _ = writeln!(
            table,
            "| `--batch {batch}{bound}` | {} | {} |",
            thousands(median(&programs[r][0])),
            thousands(median(&programs[r][1]))
        );
    }
}

/// 1234567.0 as "1,234,567".
fn thousands(value: f64) -> String {
    let digits = format!("{value:.0}");
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Microseconds, with a unit a reader can take in.
fn micros(us: f64) -> String {
    if us >= 1000.0 {
        format!("{:.1} ms", us / 1000.0)
    } else {
        format!("{us:.0} µs")
    }
}
