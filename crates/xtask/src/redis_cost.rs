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

use harness::testing::redis_server::RedisServer;
use redis::Commands;
use redis::streams::{StreamReadOptions, StreamReadReply};

use crate::perf::median;
use crate::workspace_root;

/// Every clock reading in this process is taken against one start, so a
/// message can carry the moment it was sent.
fn now_ns() -> u64 {
    static START: OnceLock<Instant> = OnceLock::new();
    START.get_or_init(Instant::now).elapsed().as_nanos() as u64
}

/// One measurement: messages per second over the whole run, and the
/// median time from a message's send to its receipt.
#[derive(Clone, Copy)]
struct Measured {
    per_second: f64,
    latency: Duration,
}

/// Messages through a bounded flume channel of 1,024 slots.
fn flume_run(producers: usize, consumers: usize, total: usize) -> Measured {
    let (sender, receiver) = flume::bounded::<u64>(1024);
    let started = Instant::now();
    let latencies = thread::scope(|scope| {
        for _ in 0..producers {
            let sender = sender.clone();
            scope.spawn(move || {
                for _ in 0..total / producers {
                    sender.send(now_ns()).expect("a receiver");
                }
            });
        }
        drop(sender);
        let receivers: Vec<_> = (0..consumers)
            .map(|_| {
                let receiver = receiver.clone();
                scope.spawn(move || {
                    receiver
                        .iter()
                        .map(|sent| now_ns() - sent)
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        receivers
            .into_iter()
            .flat_map(|r| r.join().expect("a consumer"))
            .collect::<Vec<u64>>()
    });
    measured(latencies, started.elapsed())
}

/// Messages through a Redis stream, in a consumer group: producers add
/// `batch` entries per round trip (one XADD each, pipelined), consumers
/// read up to `batch` per XREADGROUP and acknowledge them with one XACK.
fn redis_run(
    server: &RedisServer,
    producers: usize,
    consumers: usize,
    total: usize,
    batch: usize,
) -> Measured {
    let stream = format!("cost-{producers}-{consumers}-{batch}-{}", now_ns());
    let mut con = server.connect();
    let _: () = con
        .xgroup_create_mkstream(&stream, "g", "0")
        .expect("a group");
    let received = AtomicUsize::new(0);
    let started = Instant::now();
    let latencies = thread::scope(|scope| {
        for _ in 0..producers {
            let (stream, mut con) = (&stream, server.connect());
            scope.spawn(move || {
                let mut left = total / producers;
                while left > 0 {
                    let n = left.min(batch);
                    let mut pipe = redis::pipe();
                    for _ in 0..n {
                        pipe.xadd(stream, "*", &[("t", now_ns())]).ignore();
                    }
                    let () = pipe.query(&mut con).expect("XADD");
                    left -= n;
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
                    while received.load(Ordering::Relaxed) < total {
                        let reply: StreamReadReply = con
                            .xread_options(&[stream], &[">"], &options)
                            .expect("XREADGROUP");
                        let ids: Vec<String> = reply
                            .keys
                            .into_iter()
                            .flat_map(|k| k.ids)
                            .map(|entry| {
                                let sent: u64 = entry.get("t").expect("a time");
                                latencies.push(now_ns() - sent);
                                entry.id
                            })
                            .collect();
                        if !ids.is_empty() {
                            let _: usize = con.xack(stream, "g", &ids).expect("XACK");
                            received.fetch_add(ids.len(), Ordering::Relaxed);
                        }
                    }
                    latencies
                })
            })
            .collect();
        readers
            .into_iter()
            .flat_map(|r| r.join().expect("a consumer"))
            .collect::<Vec<u64>>()
    });
    let elapsed = started.elapsed();
    let _: () = con.del(&stream).expect("DEL");
    measured(latencies, elapsed)
}

fn measured(mut latencies: Vec<u64>, elapsed: Duration) -> Measured {
    latencies.sort_unstable();
    Measured {
        per_second: latencies.len() as f64 / elapsed.as_secs_f64(),
        latency: Duration::from_nanos(latencies[latencies.len() / 2]),
    }
}

/// The medians of three rounds, each running every kind once, side by side.
pub fn report() -> Result<(), String> {
    let server = RedisServer::start("cost");
    let kinds = [
        "flume, one process",
        "Redis, one command per message",
        "Redis, batches of 100",
    ];
    let topologies = [(1, 1), (4, 4)];
    let mut samples: Vec<Vec<Vec<Measured>>> =
        vec![vec![Vec::new(); topologies.len()]; kinds.len()];
    for round in 1..=3 {
        eprintln!("redis-cost: round {round} of 3");
        for (t, &(p, c)) in topologies.iter().enumerate() {
            samples[0][t].push(flume_run(p, c, 400_000));
            samples[1][t].push(redis_run(&server, p, c, 20_000, 1));
            samples[2][t].push(redis_run(&server, p, c, 200_000, 100));
        }
    }
    let summary = |runs: &[Measured]| {
        let rate = median(&runs.iter().map(|m| m.per_second).collect::<Vec<_>>());
        let latency = median(
            &runs
                .iter()
                .map(|m| m.latency.as_secs_f64() * 1e6)
                .collect::<Vec<_>>(),
        );
        (rate, latency)
    };
    let mut table = String::from(
        "<!-- Written by `cargo xtask redis-cost`; run it again rather than editing. -->\n\n\
         | | 1 producer, 1 consumer | | 4 producers, 4 consumers | |\n\
         |---|---|---|---|---|\n\
         | | messages/s | latency | messages/s | latency |\n",
    );
    let mut rates = vec![[0.0; 2]; kinds.len()];
    for (k, kind) in kinds.iter().enumerate() {
        let _ = write!(table, "| {kind} |");
        for t in 0..topologies.len() {
            let (rate, latency) = summary(&samples[k][t]);
            rates[k][t] = rate;
            let _ = write!(table, " {} | {} |", thousands(rate), micros(latency));
        }
        table.push('\n');
    }
    let _ = write!(
        table,
        "\nflume moves {:.0} and {:.0} times as many messages per second as Redis with one \
         command per message (1/1 and 4/4); batches of 100 bring Redis within {:.0} and {:.0} \
         times of flume.\n",
        rates[0][0] / rates[1][0],
        rates[0][1] / rates[1][1],
        rates[0][0] / rates[2][0],
        rates[0][1] / rates[2][1],
    );
    let file = workspace_root().join("book/src/performance/redis.md");
    fs::write(&file, &table).map_err(|e| format!("{}: {e}", file.display()))?;
    println!("{table}");
    eprintln!("redis-cost: wrote book/src/performance/redis.md");
    Ok(())
}

/// 1234567.0 as "1,234,567".
fn thousands(value: f64) -> String {
    let digits = format!("{:.0}", value);
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
