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
    // Per topology, where the time of each `--batch 100` run went.
    let mut spent: Vec<Vec<Spent>> = vec![Vec::new(); topologies.len()];
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
                let (rate, went) = program_run(&server, (p, c), batch, capacity)?;
                programs[r][t].push(rate);
                if (batch, capacity) == (100, None) {
                    spent[t].push(went);
                }
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
    spent_table(&mut spent, rate[2], &mut table);
    let file = workspace_root().join("book/src/performance/redis.md");
    fs::write(&file, &table).map_err(|e| format!("{}: {e}", file.display()))?;
    println!("{table}");
    eprintln!("redis-cost: wrote book/src/performance/redis.md");
    Ok(())
}

/// Where one run of the real program spent its time, beside its items
/// per second: what the server did (its own clock, command by command),
/// and the CPU time of the program's processes.
#[derive(Clone, Default)]
struct Spent {
    /// Seconds from start to exit.
    wall: f64,
    /// Seconds of CPU the server used (`INFO cpu`).
    server: f64,
    /// `INFO commandstats`: each command's calls and microseconds, those
    /// a script makes counted too.
    commands: Vec<(String, f64, f64)>,
    /// Seconds of CPU of the producers, of the consumers, and of the run
    /// that starts them and reads, counts and prints their lines.
    producers: f64,
    consumers: f64,
    run: f64,
}

impl Spent {
    /// Calls and microseconds of one command, 0 if it was not called.
    fn command(&self, name: &str) -> (f64, f64) {
        self.commands
            .iter()
            .find(|(n, _, _)| n == name)
            .map_or((0.0, 0.0), |(_, calls, usec)| (*calls, *usec))
    }
}

/// A field of `INFO` (`used_cpu_user:1.23`) as a number.
fn info_field(info: &str, name: &str) -> f64 {
    info.lines()
        .find_map(|line| line.strip_prefix(name)?.strip_prefix(':'))
        .and_then(|value| value.trim().parse().ok())
        .unwrap_or(0.0)
}

/// Seconds of CPU the server has used.
fn server_cpu(con: &mut redis::Connection) -> Result<f64, String> {
    let info: String = redis::cmd("INFO")
        .arg("cpu")
        .query(con)
        .map_err(|e| format!("INFO cpu: {e}"))?;
    Ok(info_field(&info, "used_cpu_user") + info_field(&info, "used_cpu_sys"))
}

/// Seconds of CPU that this process's finished children have used.
fn children_cpu() -> f64 {
    use nix::sys::resource::{UsageWho, getrusage};
    getrusage(UsageWho::RUSAGE_CHILDREN).map_or(0.0, |usage| {
        let seconds = |t: nix::sys::time::TimeVal| t.tv_sec() as f64 + t.tv_usec() as f64 / 1e6;
        seconds(usage.user_time()) + seconds(usage.system_time())
    })
}

/// Clock ticks a process has run for (user and system), and whether it
/// is a producer or a consumer, from `/proc`.
fn ticks_of(pid: &str) -> Option<(&'static str, u64)> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command's name, which is in parentheses: the 12th
    // and 13th are the user and system ticks.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    let command = fs::read(format!("/proc/{pid}/cmdline")).ok()?;
    let words: Vec<&[u8]> = command.split(|b| *b == 0).collect();
    let role = if words.contains(&b"producer".as_slice()) {
        "producer"
    } else if words.contains(&b"consumer".as_slice()) {
        "consumer"
    } else {
        "other"
    };
    Some((role, ticks))
}

/// The real program, `redis-streams --time-scale 0` with `batch` and
/// `capacity`, on `server`: items per second from start to exit, and
/// where the time went. While it runs, its children's CPU time is read
/// from `/proc` every 5 ms; what a child uses after the last look (at
/// most 5 ms) is counted as the run's.
fn program_run(
    server: &RedisServer,
    (p, c): (usize, usize),
    batch: usize,
    capacity: Option<usize>,
) -> Result<(f64, Spent), String> {
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
    let mut con = server.connect();
    let () = redis::cmd("CONFIG")
        .arg("RESETSTAT")
        .query(&mut con)
        .map_err(|e| format!("CONFIG RESETSTAT: {e}"))?;
    let server_before = server_cpu(&mut con)?;
    let cpu_before = children_cpu();
    let started = Instant::now();
    let mut child = command.spawn().map_err(|e| format!("redis-streams: {e}"))?;
    let run_pid = child.id().to_string();
    let done = std::sync::atomic::AtomicBool::new(false);
    // The most ticks seen of each child, by its pid.
    let seen = std::sync::Mutex::new(std::collections::HashMap::<String, (&str, u64)>::new());
    let status = thread::scope(|scope| {
        scope.spawn(|| {
            let children = format!("/proc/{run_pid}/task/{run_pid}/children");
            while !done.load(Ordering::Acquire) {
                let pids = fs::read_to_string(&children).unwrap_or_default();
                for pid in pids.split_whitespace() {
                    if let Some(found) = ticks_of(pid)
                        && let Ok(mut seen) = seen.lock()
                    {
                        seen.insert(pid.to_string(), found);
                    }
                }
                thread::sleep(Duration::from_millis(5));
            }
        });
        let status = child.wait();
        done.store(true, Ordering::Release);
        status
    });
    let wall = started.elapsed().as_secs_f64();
    let status = status.map_err(|e| format!("redis-streams: {e}"))?;
    if !status.success() {
        return Err(format!("redis-streams {:?} failed", command.get_args()));
    }
    let all = children_cpu() - cpu_before;
    let server_used = server_cpu(&mut con)? - server_before;
    let stats: String = redis::cmd("INFO")
        .arg("commandstats")
        .query(&mut con)
        .map_err(|e| format!("INFO commandstats: {e}"))?;
    let commands = stats
        .lines()
        .filter_map(|line| {
            let (name, fields) = line.strip_prefix("cmdstat_")?.split_once(':')?;
            let field = |key: &str| {
                fields
                    .split(',')
                    .find_map(|f| f.strip_prefix(key)?.parse::<f64>().ok())
            };
            Some((name.to_string(), field("calls=")?, field("usec=")?))
        })
        .collect();
    let seen = seen.into_inner().unwrap_or_default();
    // USER_HZ: /proc counts CPU time in hundredths of a second on Linux.
    let role = |wanted: &str| {
        seen.values()
            .filter(|(role, _)| *role == wanted)
            .map(|(_, ticks)| *ticks as f64 / 100.0)
            .sum::<f64>()
    };
    let (producers, consumers) = (role("producer"), role("consumer"));
    let spent = Spent {
        wall,
        server: server_used,
        commands,
        producers,
        consumers,
        run: (all - producers - consumers).max(0.0),
    };
    Ok((total as f64 / wall, spent))
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

/// The commands the program's scripts make: their time is part of the
/// script's (`evalsha`) in `INFO commandstats`, and counted again alone.
/// The table shows the first four apart; the ledgers' (`HGET`, `HSET`)
/// stay with the Lua around them.
const IN_SCRIPTS: [&str; 7] = ["xadd", "xdel", "xack", "xpending", "hget", "hset", "xlen"];

/// How a row of the table writes its cell for one run.
type Cell<'a> = dyn Fn(&Spent) -> String + 'a;

/// Where the time of a `--batch 100` run goes, per 100 items, from the
/// run of median length of each topology; `raw` is raw Redis in batches
/// of 100 in the same rounds, messages per second.
fn spent_table(spent: &mut [Vec<Spent>], raw: [f64; 2], table: &mut String) {
    let median_runs: Vec<Spent> = spent
        .iter_mut()
        .map(|runs| {
            runs.sort_by(|a, b| a.wall.total_cmp(&b.wall));
            runs.get(runs.len() / 2).cloned().unwrap_or_default()
        })
        .collect();
    // Per 100 items: a run of each topology moves 200,000.
    let per_batch = |seconds: f64| micros(seconds * 1e6 / 2_000.0);
    let usec = |run: &Spent, names: &[&str]| -> f64 {
        names.iter().map(|name| run.command(name).1).sum::<f64>() / 1e6
    };
    let lua = |run: &Spent| usec(run, &["evalsha"]) - usec(run, &IN_SCRIPTS[..4]);
    let commands = |run: &Spent| {
        run.commands
            .iter()
            .filter(|(name, _, _)| !IN_SCRIPTS.contains(&name.as_str()))
            .map(|(_, _, usec)| usec / 1e6)
            .sum::<f64>()
    };
    let rows: [(&str, &Cell<'_>); 13] = [
        ("time from start to exit", &|run| per_batch(run.wall)),
        ("raw Redis, batches of 100, same rounds", &|_| String::new()),
        ("**the Redis server's CPU**", &|run| per_batch(run.server)),
        ("&nbsp;&nbsp;`XDEL`, deleting what is done", &|run| {
            per_batch(usec(run, &["xdel"]))
        }),
        ("&nbsp;&nbsp;`XADD`, adding", &|run| {
            per_batch(usec(run, &["xadd"]))
        }),
        ("&nbsp;&nbsp;`XPENDING` and `XACK`, acknowledging", &|run| {
            per_batch(usec(run, &["xpending", "xack"]))
        }),
        ("&nbsp;&nbsp;Lua around them, and the ledgers", &|run| {
            per_batch(lua(run))
        }),
        ("&nbsp;&nbsp;`XREADGROUP`, reading", &|run| {
            per_batch(usec(run, &["xreadgroup"]))
        }),
        (
            "&nbsp;&nbsp;all else: round trips' reading and writing",
            &|run| per_batch(run.server - commands(run)),
        ),
        ("round trips (script calls, reads)", &|run| {
            format!(
                "{:.1}, {:.1}",
                run.command("evalsha").0 / 2_000.0,
                run.command("xreadgroup").0 / 2_000.0
            )
        }),
        ("**the producers' CPU**", &|run| per_batch(run.producers)),
        ("**the consumers' CPU**", &|run| per_batch(run.consumers)),
        (
            "**the run's CPU**: reading, counting, printing lines",
            &|run| per_batch(run.run),
        ),
    ];
    let _ = write!(
        table,
        "\nWhere the time of a `--batch 100` run goes, per 100 items: the server's own \
         clock for each command (`INFO commandstats`; a script's commands are counted \
         apart from the Lua around them), its CPU (`INFO cpu`), and the CPU of the \
         program's processes (from `/proc`), from the run of median length:\n\n\
         | per 100 items | 1/1 | 4/4 |\n|---|---|---|\n"
    );
    for (r, (label, cell)) in rows.iter().enumerate() {
        let cells: Vec<String> = if r == 1 {
            raw.iter().map(|rate| micros(100.0 / rate * 1e6)).collect()
        } else {
            median_runs.iter().map(cell).collect()
        };
        let _ = writeln!(table, "| {label} | {} | {} |", cells[0], cells[1]);
    }
    let one = &median_runs[0];
    let _ = write!(
        table,
        "\nIn the 1/1 run the server was busy {:.0}% of the time, {:.0}% of it in the \
         scripts and the commands they make; the program's processes used {:.0}% of \
         one core, {:.0}% of it in the run's reading, counting and printing of lines.\n",
        100.0 * one.server / one.wall,
        100.0 * usec(one, &["evalsha"]) / one.server,
        100.0 * (one.producers + one.consumers + one.run) / one.wall,
        100.0 * one.run / (one.producers + one.consumers + one.run),
    );
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
