//! The Redis programs, run as a user runs them, each test on a
//! `redis-server` of its own (a Unix socket in a folder of its own, so
//! tests side by side never share a server or a stream), stopped when the
//! test ends, also when it fails. A machine without `redis-server` fails
//! here, loudly, with the command that installs it.

use std::process::{Child, Command, Output, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use harness::log::parse_output;
use harness::programs::REDIS_STREAMS;
use harness::testing::redis_server::RedisServer as Server;
use harness::testing::{DEADLOCK_BOUND, run_program};
use harness::{Actor, Config, Event, Log, What, check_printed};
use redis::Commands;

const EXE: &str = env!("CARGO_BIN_EXE_redis-streams");

/// The settings the harness gives a run, and their flags.
fn config(producers: usize, consumers: usize, seed: u64) -> Config {
    let mut config = Config::new(&REDIS_STREAMS, seed);
    config.producers = producers;
    config.consumers = consumers;
    config.time_scale = 0.01;
    config
}

fn lines(output: &Output) -> Vec<Event> {
    parse_output(&String::from_utf8_lossy(&output.stdout)).expect("the run's lines")
}

#[test]
fn all_four_configurations_keep_the_rules() {
    // One private server per run, started by the program itself.
    for (producers, consumers) in [(1, 1), (3, 1), (1, 3), (3, 3)] {
        for capacity in [None, Some(2)] {
            let mut config = config(producers, consumers, 7);
            config.capacity = capacity;
            let command = config.command(&REDIS_STREAMS);
            let log = Log::keeping();
            let (status, stderr) = harness::programs::watch_output(&REDIS_STREAMS, &config, &log);
            assert!(status.success(), "{command}: {stderr}");
            let verdict = check_printed(&REDIS_STREAMS, &config, &log.events());
            assert!(verdict.is_ok(), "{command}:\n{verdict}");
        }
    }
}

#[test]
fn a_consumer_that_dies_mid_item_loses_nothing() {
    // Consumer 0 dies as it starts its second item; another reclaims it.
    let config = config(2, 2, 3);
    let args = [
        "--producers",
        "2",
        "--consumers",
        "2",
        "--seed",
        "3",
        "--time-scale",
        "0.01",
        "--crash",
        "0:1",
    ];
    let output = run_program(EXE, &args);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let events = lines(&output);
    let verdict = check_printed(&REDIS_STREAMS, &config, &events);
    assert!(verdict.is_ok(), "{verdict}");
    let killed = Event {
        actor: Actor::consumer(0),
        what: What::Killed,
    };
    assert!(events.contains(&killed), "consumer 0 died");
    let reclaimed = events
        .iter()
        .filter(|e| matches!(e.what, What::Reclaimed(_)))
        .count();
    assert_eq!(reclaimed, 1, "the item it held, and only that one");
    assert!(
        stderr.contains("1 item reclaimed from a consumer that died"),
        "{stderr}"
    );
}

/// Starts `redis-streams ROLE ARGS` on `server`, reading its lines.
fn start(server: &Server, role: &str, args: &[&str]) -> Child {
    Command::new(EXE)
        .arg(role)
        .args(["--redis", &server.url(), "--stream", "kill-test"])
        .args(args)
        .stdout(Stdio::piped())
        .spawn()
        .expect("a process")
}

/// How many entries consumer `name` holds without having acknowledged them.
fn held_by(con: &mut redis::Connection, name: &str) -> usize {
    let reply: redis::streams::StreamPendingReply =
        con.xpending("kill-test", "consumers").expect("XPENDING");
    match reply {
        redis::streams::StreamPendingReply::Data(data) => data
            .consumers
            .iter()
            .find(|c| c.name == name)
            .map_or(0, |c| c.pending),
        _ => 0, // Nothing pending.
    }
}

#[test]
fn kill_9_on_a_consumer_process_loses_nothing() {
    // The programs as a user runs them in separate terminals: a producer,
    // a consumer that is killed with SIGKILL while it holds an item, then
    // a second consumer that takes over.
    let server = Server::start("kill");
    let mut con = server.connect();
    let _: () = con
        .xgroup_create_mkstream("kill-test", "consumers", "0")
        .expect("the group");
    let common = ["--time-scale", "0.3"];
    let producer = start(
        &server,
        "producer",
        &["--id", "0", "--seed", "5", "--time-scale", "0"],
    );
    let mut doomed = start(&server, "consumer", &[&["--id", "0"][..], &common].concat());
    let started = Instant::now();
    while held_by(&mut con, "consumer-0") == 0 {
        assert!(
            started.elapsed() < DEADLOCK_BOUND,
            "consumer 0 never took an item"
        );
        thread::sleep(Duration::from_millis(1));
    }
    doomed.kill().expect("kill -9"); // SIGKILL: no goodbye, no XACK.
    let doomed_out = doomed.wait_with_output().expect("it ended");
    // What it held when it died: the consumer that takes over must
    // reclaim all of it.
    let held = held_by(&mut con, "consumer-0");
    let producer_out = producer.wait_with_output().expect("the producer ends");
    let _: () = con.set("kill-test:closed", 1).expect("closed");
    let heir = start(&server, "consumer", &[&["--id", "1"][..], &common].concat());
    let heir_out = run_bounded_child(heir);

    // The three processes' lines, with the line the run command would
    // print for the killed one: every item at least once, and only a
    // reclaimed item twice.
    let mut events = lines(&producer_out);
    events.extend(lines(&doomed_out));
    events.push(Event {
        actor: Actor::consumer(0),
        what: What::Killed,
    });
    events.extend(lines(&heir_out));
    let mut config = config(1, 2, 5);
    config.time_scale = 0.3;
    let verdict = check_printed(&REDIS_STREAMS, &config, &events);
    assert!(verdict.is_ok(), "{verdict}");
    let reclaimed = events
        .iter()
        .filter(|e| matches!(e.what, What::Reclaimed(_)))
        .count();
    assert!(held >= 1, "it held an item when it was killed");
    assert_eq!(reclaimed, held, "every item it held, reclaimed");
    let left: usize = con.xlen("kill-test").expect("XLEN");
    assert_eq!(left, 0, "every entry processed, acknowledged and deleted");
}

/// Waits for a child whose stdout is piped, within the hang bound.
fn run_bounded_child(child: Child) -> Output {
    let (sender, receiver) = std::sync::mpsc::channel();
    thread::spawn(move || {
        let _ = sender.send(child.wait_with_output());
    });
    receiver
        .recv_timeout(DEADLOCK_BOUND)
        .expect("the consumer ends within the hang bound")
        .expect("its output")
}

/// Runs the whole-run command with `args` on `server`, and the most
/// entries its stream held at any moment it was looked at (every
/// millisecond).
fn most_entries(server: &Server, args: &[&str]) -> (Output, usize) {
    let mut child = Command::new(EXE)
        .args(["--redis", &server.url()])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the run");
    // The run's stream is named after its process.
    let stream = format!("producer-consumer:{}", child.id());
    let mut con = server.connect();
    let mut most = 0;
    let started = Instant::now();
    while child.try_wait().expect("the run").is_none() {
        assert!(started.elapsed() < DEADLOCK_BOUND, "the run hangs");
        let len: usize = con.xlen(&stream).unwrap_or(0);
        most = most.max(len);
        thread::sleep(Duration::from_millis(1));
    }
    (child.wait_with_output().expect("its output"), most)
}

#[test]
fn a_bounded_stream_never_grows_past_its_bound() {
    // Three producers feed one consumer, which is slower by construction:
    // the stream fills up, and producers wait for room.
    let server = Server::start("bounded");
    let args = [
        "--producers",
        "3",
        "--consumers",
        "1",
        "--seed",
        "2",
        "--time-scale",
        "0.05",
        "--capacity",
        "3",
    ];
    let (output, most) = most_entries(&server, &args);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut config = config(3, 1, 2);
    config.time_scale = 0.05;
    config.capacity = Some(3);
    let verdict = check_printed(&REDIS_STREAMS, &config, &lines(&output));
    assert!(verdict.is_ok(), "{verdict}");
    assert_eq!(most, 3, "the stream fills up to its bound, and no further");
}

#[test]
fn maxlen_is_no_bound_it_loses_items() {
    // Four producers, one consumer: the consumer is four times slower by
    // construction, and XADD MAXLEN ~ 10 trims what it has not read yet.
    let server = Server::start("maxlen");
    let args = [
        "--producers",
        "4",
        "--consumers",
        "1",
        "--items",
        "100",
        "--seed",
        "4",
        "--time-scale",
        "0.01",
        "--maxlen",
        "10",
    ];
    let (output, most) = most_entries(&server, &args);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    let mut config = config(4, 1, 4);
    config.items = 100;
    let verdict = check_printed(&REDIS_STREAMS, &config, &lines(&output));
    let lost = verdict.never_consumed.len();
    assert!(lost > 0, "items vanished");
    // No error on either side: only the last line says so.
    assert_eq!(
        stderr.trim_end(),
        format!("redis-streams: {lost} items of 400 added never processed")
    );
    assert!(
        most > 10,
        "MAXLEN ~ trims in whole blocks, not at 10 exactly"
    );
}

#[test]
fn an_unreachable_server_is_one_line_and_hides_its_password() {
    let started = Instant::now();
    let output = run_program(
        EXE,
        &["--redis", "redis://:hunter2@127.0.0.1:1/", "--seed", "1"],
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(5), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("redis://:***@127.0.0.1:1/"), "{stderr}");
    assert!(!stderr.contains("hunter2"), "{stderr}");
    assert!(output.stdout.is_empty());
    assert!(started.elapsed() < DEADLOCK_BOUND);
}

#[test]
fn bad_input_is_refused_with_one_line() {
    for (args, expected) in [
        (&["--redis", "nope://x"][..], "not a Redis URL"),
        (&["--producers", "0"], "--producers must be from 1 to 64"),
        (
            &["--time-scale", "-1"],
            "--time-scale must be from 0 to 1000",
        ),
        (&["--crash", "7:0"], "--crash 7:0: expected C:N"),
        (&["--capacity", "0"], "--capacity must be at least 1"),
    ] {
        let output = run_program(EXE, args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}

#[test]
fn a_server_that_goes_away_mid_run_ends_the_run() {
    let server = Server::start("gone");
    let mut child = Command::new(EXE)
        .args(["--redis", &server.url(), "--seed", "1", "--items", "100"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the run");
    // Once a consumer has processed an item, the server goes away.
    let stdout = child.stdout.take().expect("its output");
    let mut reader = std::io::BufReader::new(stdout);
    let mut line = String::new();
    while !line.contains(" got ") {
        line.clear();
        let read = std::io::BufRead::read_line(&mut reader, &mut line).expect("a line");
        assert!(read > 0, "the run ended before any item was processed");
    }
    drop(server);
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("the run") {
            break status;
        }
        assert!(
            started.elapsed() < DEADLOCK_BOUND,
            "the run hangs without its server"
        );
        thread::sleep(Duration::from_millis(10));
    };
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().expect("stderr"), &mut stderr)
        .expect("stderr");
    assert_eq!(status.code(), Some(5), "{stderr}");
    assert!(stderr.contains("Redis at"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn without_redis_server_the_run_says_how_to_install_it() {
    let mut command = Command::new(EXE);
    command
        .args(["--seed", "1"])
        .env("PATH", "/nonexistent")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let output = harness::testing::run_bounded(command, "redis-streams without redis-server");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(5), "{stderr}");
    assert!(stderr.contains("apt-get install redis-server"), "{stderr}");
}
