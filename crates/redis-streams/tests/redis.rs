//! The Redis programs, run as a user runs them, each test on a
//! `redis-server` of its own (a Unix socket in a folder of its own, so
//! tests side by side never share a server by accident), stopped when the
//! test ends, also when it fails. A machine without `redis-server` fails
//! here, loudly, with the command that installs it. The faults (signals,
//! pauses, restarts, poison, secrets, shared servers) are in `faults.rs`.

mod support;

use std::net::TcpListener;
use std::thread;
use std::time::{Duration, Instant};

use harness::Log;
use harness::programs::REDIS_STREAMS;
use harness::redis_server::RedisServer as Server;
use harness::testing::{DEADLOCK_BOUND, processes, run_bounded};
use redis::Commands;
use support::{Watched, command, config};

#[test]
fn all_four_configurations_keep_the_rules() {
    // One private server per run, started by the program itself; one
    // item at a time and in batches, bounded and not.
    for (producers, consumers) in [(1, 1), (3, 1), (1, 3), (3, 3)] {
        for (capacity, batch) in [(None, 1), (Some(2), 1), (None, 4), (Some(5), 3)] {
            let mut config = config(producers, consumers, 10, 7);
            config.time_scale = 0.01;
            config.capacity = capacity;
            let mut args = REDIS_STREAMS.args(&config);
            args.push(format!("--batch={batch}"));
            let log = Log::keeping();
            let (status, stderr) = harness::programs::watch_args(&REDIS_STREAMS, &args, &log);
            assert!(status.success(), "{args:?}: {stderr}");
            let what = format!("{args:?}");
            harness::testing::assert_kept(&REDIS_STREAMS, &config, &log.events(), &what);
        }
    }
}

#[test]
fn a_consumer_that_dies_mid_item_loses_nothing() {
    // Consumer 0 dies as it starts its second item; another reclaims it.
    let args = [
        "--producers=2",
        "--consumers=2",
        "--seed=3",
        "--time-scale=0.01",
        "--crash=0:1",
    ];
    let ended = Watched::start(command(None, &args)).finish();
    assert!(ended.status.success(), "{}", ended.err);
    let mut config = config(2, 2, 10, 3);
    config.time_scale = 0.01;
    ended.kept(&config, "the run");
    assert_eq!(ended.count("Consumer 0: Killed"), 1, "consumer 0 died");
    assert_eq!(
        ended.count(" reclaimed "),
        1,
        "the item it held, and only that one"
    );
    assert!(
        ended
            .err
            .contains("1 item reclaimed from a consumer that died"),
        "{}",
        ended.err
    );
}

/// Runs the whole-run command with `args` on `server`, and the most
/// entries its stream held at any moment it was looked at (every
/// millisecond).
fn most_entries(server: &Server, args: &[&str]) -> (support::Ended, usize) {
    let mut run = Watched::start(command(Some(server), args));
    let stream = run.stream();
    let mut con = server.connect();
    let mut most = 0;
    let started = Instant::now();
    while run.child.try_wait().expect("the run").is_none() {
        assert!(started.elapsed() < DEADLOCK_BOUND, "the run hangs");
        let len: usize = con.xlen(&stream).unwrap_or(0);
        most = most.max(len);
        thread::sleep(Duration::from_millis(1));
    }
    (run.finish(), most)
}

#[test]
fn a_bounded_stream_never_grows_past_its_bound() {
    // Three producers feed one consumer, which is slower by construction:
    // the stream fills up, and producers wait for room.
    let server = Server::start("bounded");
    let args = [
        "--producers=3",
        "--consumers=1",
        "--seed=2",
        "--time-scale=0.05",
        "--capacity=3",
    ];
    let (ended, most) = most_entries(&server, &args);
    assert!(ended.status.success(), "{}", ended.err);
    let mut config = config(3, 1, 10, 2);
    config.time_scale = 0.05;
    config.capacity = Some(3);
    ended.kept(&config, "the run");
    assert_eq!(most, 3, "the stream fills up to its bound, and no further");
}

#[test]
fn maxlen_is_no_bound_it_loses_items() {
    // Four producers, one consumer: the consumer is four times slower by
    // construction, and XADD MAXLEN ~ 10 trims what it has not read yet.
    let server = Server::start("maxlen");
    let args = [
        "--producers=4",
        "--consumers=1",
        "--items=100",
        "--seed=4",
        "--time-scale=0.01",
        "--maxlen=10",
    ];
    let (ended, most) = most_entries(&server, &args);
    assert_eq!(ended.status.code(), Some(1), "{}", ended.err);
    let verdict = ended.verdict(&config(4, 1, 100, 4));
    let lost = verdict.never_consumed.len();
    assert!(lost > 0, "items vanished");
    // No error on either side: only the last line says so, and names the
    // items the checker finds missing, the first three of them.
    let last = ended.err.lines().last().unwrap_or_default();
    let said = format!("redis-streams: {lost} items of 400 added never processed: ");
    assert!(last.starts_with(&said), "{last}");
    let mut missing = verdict.never_consumed.clone();
    missing.sort_by_key(|&(p, item)| (p, item.i));
    let (p, first) = missing[0];
    let named = format!("producer {p}'s ({}, {:?})", first.i, first.value);
    assert!(last.contains(&named), "{last} does not name {named}");
    assert!(last.ends_with(&format!(" and {} more", lost - 3)), "{last}");
    assert!(
        most > 10,
        "MAXLEN ~ trims in whole blocks, not at 10 exactly"
    );
}

#[test]
fn batches_keep_the_rules_and_the_run_s_memory_stays_flat() {
    // 300,000 items through one producer and one consumer in batches of
    // 100: the run forwards every line and keeps only counts.
    let server = Server::start("memory");
    let args = [
        "--producers=1",
        "--consumers=1",
        "--items=300000",
        "--seed=1",
        "--time-scale=0",
        "--batch=100",
    ];
    let mut run = Watched::start(command(Some(&server), &args));
    let pid = run.pid();
    let watcher = thread::spawn(move || {
        let mut peak = 0;
        while let Some(kib) = processes::peak_memory_kib(pid) {
            peak = peak.max(kib);
            thread::sleep(Duration::from_millis(20));
        }
        peak
    });
    // Read the lines as they come, counting: 600,000 of them.
    let got = run.count_to_end(" got ");
    let ended = run.finish();
    let peak_kib = watcher.join().expect("the watcher");
    assert!(ended.status.success(), "{}", ended.err);
    assert_eq!(got, 300_000, "every item processed once");
    assert!(
        peak_kib < 30 * 1024,
        "the run's memory grew to {peak_kib} KiB"
    );
}

#[test]
fn an_unreachable_server_is_one_line_and_hides_its_password() {
    let output = run_bounded(
        command(
            None,
            &["--redis", "redis://:hunter2@127.0.0.1:1/", "--seed=1"],
        ),
        "an unreachable server",
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(5), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("Redis at 127.0.0.1:1"), "{stderr}");
    assert!(!stderr.contains("hunter2"), "{stderr}");
    assert!(output.stdout.is_empty());
}

#[test]
fn connecting_gives_up_after_a_few_seconds_and_names_the_server() {
    // A port that takes connections (the kernel does, into its queue) but
    // never answers.
    let silent = TcpListener::bind("127.0.0.1:0").expect("a port");
    let port = silent.local_addr().expect("its address").port();
    let url = format!("redis://127.0.0.1:{port}/");
    for role in ["producer", "consumer"] {
        let output = run_bounded(command(None, &[role, "--redis", &url]), role);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(5), "{role}: {stderr}");
        assert!(stderr.contains(&format!("127.0.0.1:{port}")), "{stderr}");
    }
}

#[test]
fn bad_input_is_refused_with_exit_code_2() {
    let url = "--redis=redis://127.0.0.1:1/";
    let cases: &[(&[&str], &str)] = &[
        (&["--redis", "nope://x"], "not valid"),
        (&["--producers", "0"], "--producers"),
        (&["--time-scale", "-1"], "--time-scale"),
        (&["--time-scale", "nan"], "--time-scale"),
        (&["--crash", "7:0"], "--crash 7:0: expected C:N"),
        (&["--capacity", "0"], "--capacity"),
        (&["--batch", "0"], "--batch"),
        (&["--retry-for", "x"], "--retry-for"),
        (&["producer", url, "--time-scale", "nan"], "--time-scale"),
        (&["producer", url, "--capacity", "0"], "--capacity"),
        (&["producer", url, "--items", "-3"], "--items"),
        (&["consumer", url, "--time-scale", "inf"], "--time-scale"),
        (&["consumer", url, "--batch", "100000"], "--batch"),
        (
            &["consumer", url, "--max-deliveries", "0"],
            "--max-deliveries",
        ),
        (&["producer", "--redis", "nope://:s3cret@x"], "not valid"),
        (&["consumer"], "--redis"),
        (&["open", "--bogus"], "--bogus"),
    ];
    for (args, expected) in cases {
        let output = run_bounded(command(None, args), "bad input");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
        assert!(!stderr.contains("s3cret"), "{args:?}: {stderr}");
    }
}

#[test]
fn without_redis_server_the_run_says_how_to_install_it() {
    let mut command = command(None, &["--seed=1"]);
    command.env("PATH", "/nonexistent");
    let output = run_bounded(command, "redis-streams without redis-server");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(5), "{stderr}");
    assert!(stderr.contains("apt-get install redis-server"), "{stderr}");
}
