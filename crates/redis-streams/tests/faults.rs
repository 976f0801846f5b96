//! The Redis programs under real faults: a server shared with another run
//! and other programs' keys, a password, Ctrl-C and a supervisor's
//! SIGTERM, `kill -9`, a producer killed, a consumer paused, every process
//! paused (Ctrl-Z), poison entries, a stale close marker, a server
//! restarted with and without its data. Each fault is injected for real,
//! on a `redis-server` of the test's own; what is checked is counts and
//! exit codes, and that no process of the run is left.

mod support;

use std::path::Path;
use std::thread;
use std::time::{Duration, Instant};

use harness::redis_server::{Options, RedisServer as Server, percent_encoded};
use harness::testing::processes::{self, command_line, descendants, still_running_after};
use harness::testing::{DEADLOCK_BOUND, run_bounded};
use nix::sys::signal::Signal;
use redis::Commands;
use redis::streams::StreamPendingCountReply;
use support::{Watched, command, config};

/// A run of one producer and `consumers` consumers, `items` items, on
/// `server`, slow enough to act on while it runs.
fn slow_run(server: Option<&Server>, consumers: usize, items: usize) -> Watched {
    let args = [
        "--producers=1".to_string(),
        format!("--consumers={consumers}"),
        format!("--items={items}"),
        "--seed=3".into(),
        "--time-scale=0.2".into(),
    ];
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    Watched::start(command(server, &args))
}

/// The process of the run `run` whose command line contains `role`,
/// once the run has started it.
fn process_of(run: &Watched, role: &str) -> u32 {
    let started = Instant::now();
    loop {
        let found = descendants(run.pid())
            .into_iter()
            .find(|&pid| command_line(pid).contains(role));
        if let Some(pid) = found {
            return pid;
        }
        assert!(started.elapsed() < DEADLOCK_BOUND, "no process {role}");
        thread::sleep(Duration::from_millis(1));
    }
}

#[test]
fn runs_sharing_a_server_touch_only_their_own_keys() {
    let server = Server::start("shared");
    let mut con = server.connect();
    // Keys of other programs, some named as a careless run would name its
    // own (after a process id).
    let theirs = ["producer-consumer:1", "producer-consumer", "jobs"];
    for key in theirs {
        let _: () = con.set(key, "theirs").expect("SET");
    }
    let args = [
        "--producers=2",
        "--consumers=2",
        "--seed=9",
        "--time-scale=0.02",
    ];
    let runs: Vec<Watched> = (0..2)
        .map(|_| Watched::start(command(Some(&server), &args)))
        .collect();
    for run in runs {
        let ended = run.finish();
        assert!(ended.status.success(), "{}", ended.err);
        let mut config = config(2, 2, 10, 9);
        config.time_scale = 0.02;
        ended.kept(&config, "two runs side by side");
    }
    let mut keys: Vec<String> = con.keys("*").expect("KEYS");
    keys.sort();
    assert_eq!(keys, ["jobs", "producer-consumer", "producer-consumer:1"]);
    for key in theirs {
        let value: String = con.get(key).expect("GET");
        assert_eq!(value, "theirs", "{key}");
    }
}

#[test]
fn a_key_of_another_type_or_a_missing_stream_is_named() {
    let server = Server::start("wrongtype");
    let mut con = server.connect();
    let _: () = con.set("orders", "not a stream").expect("SET");
    let url = server.url();
    let cases = [
        (vec!["open", "--stream=orders"], "orders holds a string"),
        (vec!["consumer", "--stream=orders"], "orders holds a string"),
        (
            vec!["producer", "--stream=nothing"],
            "there is no stream nothing",
        ),
        (
            vec!["consumer", "--stream=nothing"],
            "redis-streams open --stream nothing",
        ),
    ];
    for (args, expected) in cases {
        let mut command = command(None, &args);
        command.env("REDIS_URL", &url);
        let output = run_bounded(command, "a wrong key");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(5), "{args:?}: {stderr}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
        assert!(!stderr.contains("lost Redis"), "{args:?}: {stderr}");
    }
    let value: String = con.get("orders").expect("GET");
    assert_eq!(value, "not a stream", "left as it was");
}

#[test]
fn the_password_never_shows_on_a_command_line_or_in_the_output() {
    let password = "pa@ss:w/rd%40";
    let mut options = Options {
        password: Some(password.to_string()),
        ..Options::default()
    };
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    options.port = Some(listener.local_addr().expect("a port").port());
    drop(listener);
    let port = options.port.expect("a port");
    let server = Server::start_with("secret", options);
    let encoded = percent_encoded(password);
    let urls = [
        server.url(),
        format!("redis://:{encoded}@127.0.0.1:{port}/"),
        format!("redis://default:{encoded}@127.0.0.1:{port}/0"),
    ];
    for url in urls {
        let mut command = command(None, &["--seed=5", "--time-scale=0.05"]);
        command.env("REDIS_URL", &url);
        let mut run = Watched::start(command);
        run.until_out(" got ");
        // Every process of the run, while it runs: none shows it.
        let mut seen = all_started(&run, 5);
        seen.push(run.pid());
        for pid in seen {
            let line = command_line(pid);
            assert!(
                !line.contains("pa@ss") && !line.contains(&encoded),
                "{line}"
            );
        }
        let ended = run.finish();
        assert!(ended.status.success(), "{url}: {}", ended.err);
        let printed = format!("{}\n{}", ended.out.join("\n"), ended.err);
        assert!(
            !printed.contains("pa@ss") && !printed.contains(&encoded),
            "{printed}"
        );
        assert!(ended.err.contains("this run's stream is"), "{}", ended.err);
    }
}

/// Every process run `run` started, once there are `count` of them.
fn all_started(run: &Watched, count: usize) -> Vec<u32> {
    let started = Instant::now();
    loop {
        let found = descendants(run.pid());
        if found.len() >= count {
            return found;
        }
        assert!(started.elapsed() < DEADLOCK_BOUND, "only {found:?} started");
        thread::sleep(Duration::from_millis(1));
    }
}

/// A slow run on a private server whose folder goes in `tmp`, once a
/// consumer has processed an item, with every process it started: the
/// server, three consumers, two producers.
fn private_run_in(tmp: &Path) -> (Watched, Vec<u32>) {
    let mut command = command(None, &["--seed=1", "--items=100", "--time-scale=0.2"]);
    command.env("TMPDIR", tmp);
    let mut run = Watched::start(command);
    run.until_out(" got ");
    let started = all_started(&run, 6);
    (run, started)
}

/// Stops a slow run with `signal` and checks that nothing of it is left:
/// no process, no folder.
fn stopped_by(signal: Signal, code: i32) {
    let tmp = tempfile::tempdir().expect("a folder for the run's own");
    let (run, started) = private_run_in(tmp.path());
    processes::signal(run.pid(), signal);
    let ended = run.finish();
    assert_eq!(ended.status.code(), Some(code), "{}", ended.err);
    let said = format!("stopped by {signal}");
    assert!(ended.err.contains(&said), "{}", ended.err);
    let left = still_running_after(&started, DEADLOCK_BOUND);
    assert!(left.is_empty(), "still running: {left:?}");
    assert!(entries(tmp.path()).is_empty(), "its folder removed");
}

/// A run that ended on `signal`: its exit code, and its last line.
fn assert_stopped_by(ended: &support::Ended, signal: Signal, code: i32) {
    assert_eq!(ended.status.code(), Some(code), "{}", ended.err);
    assert!(
        ended.err.contains(&format!("stopped by {signal}")),
        "{}",
        ended.err
    );
}

/// The names in `folder`.
fn entries(folder: &Path) -> Vec<String> {
    let names = std::fs::read_dir(folder).expect("the folder");
    names
        .map(|entry| {
            entry
                .expect("an entry")
                .file_name()
                .to_string_lossy()
                .into()
        })
        .collect()
}

#[test]
fn sigterm_stops_every_process_and_removes_the_folder() {
    stopped_by(Signal::SIGTERM, 143);
}

#[test]
fn ctrl_c_stops_every_process_and_removes_the_folder() {
    stopped_by(Signal::SIGINT, 130);
}

#[test]
fn after_kill_9_of_the_run_its_processes_end_by_themselves() {
    // The run's processes, orphaned, become this test's children rather
    // than init's (which may never reap them), so that the test can reap
    // them: `ps` shows nothing of the run afterwards.
    nix::sys::prctl::set_child_subreaper(true).expect("a subreaper");
    let tmp = tempfile::tempdir().expect("a folder for the run's own");
    let (run, started) = private_run_in(tmp.path());
    processes::signal(run.pid(), Signal::SIGKILL);
    let _ = run.finish();
    let left = still_running_after(&started, DEADLOCK_BOUND);
    assert!(left.is_empty(), "outlived the run: {left:?}");
    for &pid in &started {
        let _ = nix::sys::wait::waitpid(nix::unistd::Pid::from_raw(pid.cast_signed()), None);
    }
    // The server stopped as asked (SIGTERM), so its socket is gone; its
    // empty folder is all that SIGKILL leaves.
    for folder in entries(tmp.path()) {
        let inside = entries(&tmp.path().join(&folder));
        assert!(inside.is_empty(), "{folder}: {inside:?}");
    }
}

#[test]
fn a_producer_killed_mid_run_is_reported_with_what_it_never_made() {
    let server = Server::start("producer-killed");
    let args = [
        "--producers=2",
        "--consumers=1",
        "--items=1000",
        "--seed=6",
        "--time-scale=0.01",
    ];
    let mut run = Watched::start(command(Some(&server), &args));
    run.until_out(">producer 0 added");
    let producer = process_of(&run, "producer --id=0");
    processes::signal(producer, Signal::SIGKILL);
    let ended = run.finish();
    assert_eq!(ended.status.code(), Some(1), "{}", ended.err);
    assert_eq!(ended.count("Producer 0: Killed"), 1);
    let made = ended.count(">producer 0 added");
    assert!(made < 1000, "it died before its end");
    assert!(
        ended.err.contains(&format!(
            "producer 0 died: {} items of its 1000 never made",
            1000 - made
        )),
        "{}",
        ended.err
    );
    // What it did make was processed, and producer 1's too (and one
    // more, if it was killed between an add and its line).
    let processed = ended.count(" got ") + ended.count(" reclaimed ");
    assert!(
        (made + 1000..=made + 1001).contains(&processed),
        "{processed}"
    );
}

/// The entries consumer `name` holds on `stream`, without having
/// acknowledged them.
fn held_by(con: &mut redis::Connection, stream: &str, name: &str) -> Vec<String> {
    let reply: StreamPendingCountReply = con
        .xpending_consumer_count(stream, "consumers", "-", "+", 100, name)
        .expect("XPENDING");
    reply.ids.into_iter().map(|entry| entry.id).collect()
}

/// Waits until `done` holds, within the hang bound.
fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let started = Instant::now();
    while !done() {
        assert!(started.elapsed() < DEADLOCK_BOUND, "{what} never happened");
        thread::sleep(Duration::from_millis(1));
    }
}

/// Pauses process `pid` at a moment it holds an entry of `stream` (as
/// consumer `name`), and returns that entry. With `mid_item`, only while
/// the process sleeps in its simulated work: then it has the entry in
/// hand, and will finish it. It is never stopped in a socket call then,
/// which on Linux would make that call fail (EINTR) once it continues.
fn pause_holding(
    con: &mut redis::Connection,
    (stream, name): (&str, &str),
    pid: u32,
    mid_item: bool,
) -> String {
    let started = Instant::now();
    loop {
        assert!(
            started.elapsed() < DEADLOCK_BOUND,
            "{name} never paused holding an entry"
        );
        wait_until("a held entry", || !held_by(con, stream, name).is_empty());
        if mid_item && !processes::sleeping(pid) {
            continue;
        }
        processes::signal(pid, Signal::SIGSTOP);
        // Paused now: what it holds cannot change any more.
        let held = held_by(con, stream, name).pop();
        if let Some(id) = held.filter(|_| !mid_item || processes::sleeping(pid)) {
            return id;
        }
        processes::signal(pid, Signal::SIGCONT);
    }
}

#[test]
fn a_paused_consumer_is_not_taken_for_dead() {
    let args = [
        "--producers=1",
        "--consumers=2",
        "--items=10",
        "--seed=3",
        "--time-scale=0.2",
    ];
    let server = Server::start("paused");
    let mut run = Watched::start(command(Some(&server), &args));
    let stream = run.stream();
    let consumer = process_of(&run, "consumer --id=0");
    let mut con = server.connect();
    let id = pause_holding(&mut con, (&stream, "consumer-0"), consumer, true);
    // Another consumer claims it once it has been idle long enough.
    wait_until("the claim", || {
        !held_by(&mut con, &stream, "consumer-0").contains(&id)
    });
    processes::signal(consumer, Signal::SIGCONT);
    let ended = run.finish();
    assert!(ended.status.success(), "{}", ended.err);
    let mut config = config(1, 2, 10, 3);
    config.time_scale = 0.2;
    ended.kept(&config, "the run");
    // The paused consumer learned it from its acknowledgement.
    assert_eq!(ended.count(">consumer 0 duplicated "), 1, "{:?}", ended.out);
    assert!(
        ended.err.contains("1 item processed twice"),
        "{}",
        ended.err
    );
    assert!(ended.err.contains("paused"), "{}", ended.err);
    assert!(!ended.err.contains("died"), "{}", ended.err);
}

/// The number of the item that entry `id` of `stream` holds.
fn item_in(con: &mut redis::Connection, stream: &str, id: &str) -> usize {
    let entries: redis::streams::StreamRangeReply = con.xrange(stream, id, id).expect("XRANGE");
    let fields = &entries.ids.first().expect("the entry").map;
    let i: String = redis::from_redis_value_ref(&fields["i"]).expect("a number");
    i.parse().expect("a number")
}

/// Takes the next new entry of `stream` as consumer `name` (the test's
/// own, in the run's group), and returns its id.
fn take_one(con: &mut redis::Connection, stream: &str, name: &str) -> String {
    let options = redis::streams::StreamReadOptions::default()
        .group("consumers", name)
        .count(1)
        .block(100);
    let mut taken = None;
    wait_until("an entry for the test", || {
        // Fails until the run has made the group: then try again.
        let reply: redis::RedisResult<redis::streams::StreamReadReply> =
            con.xread_options(&[stream], &[">"], &options);
        taken = reply
            .ok()
            .and_then(|r| Some(r.keys.first()?.ids.first()?.id.clone()));
        taken.is_some()
    });
    taken.expect("an entry")
}

#[test]
fn a_claim_whose_answer_was_lost_is_read_back_as_reclaimed() {
    // The test takes item i, as a consumer of its own that never finishes
    // it; consumer 0 goes on to a later item. Then consumer 0's claim of
    // item i goes through on the server, and the answer is lost with its
    // connection. Consumer 0 finds item i among its own pending entries:
    // older than what it processed last.
    let server = Server::start("lost-claim");
    let args = [
        "--producers=1",
        "--consumers=1",
        "--items=10",
        "--seed=3",
        "--time-scale=0.2",
        // No claim but the test's own.
        "--claim-after=600000",
    ];
    let mut run = Watched::start(command(Some(&server), &args));
    let stream = run.stream();
    let consumer = process_of(&run, "consumer --id=0");
    let mut con = server.connect();
    let held = take_one(&mut con, &stream, "ghost");
    let i = item_in(&mut con, &stream, &held);
    loop {
        let line = run.until_out(">consumer 0 got (");
        let later: usize = line[">consumer 0 got (".len()..]
            .split(',')
            .next()
            .and_then(|n| n.parse().ok())
            .expect("an item number");
        if later > i {
            break;
        }
    }
    processes::signal(consumer, Signal::SIGSTOP);
    let _: redis::streams::StreamClaimReply = con
        .xclaim(&stream, "consumers", "consumer-0", 0, &[&held])
        .expect("XCLAIM");
    let killed: usize = redis::cmd("CLIENT")
        .arg(&["KILL", "TYPE", "normal", "SKIPME", "yes"])
        .query(&mut con)
        .expect("CLIENT KILL");
    assert!(killed >= 2, "{killed} connections killed");
    processes::signal(consumer, Signal::SIGCONT);
    let ended = run.finish();
    assert!(ended.status.success(), "{}", ended.err);
    let mut config = config(1, 1, 10, 3);
    config.time_scale = 0.2;
    ended.kept(&config, "the run");
    assert_eq!(ended.count(&format!(">consumer 0 reclaimed ({i},")), 1);
}

#[test]
fn pausing_every_process_of_the_run_loses_nothing() {
    // What Ctrl-Z then `fg` does to a shell's job, three times: every
    // waiting call is interrupted, and each process goes on.
    let server = Server::start("ctrl-z");
    let args = [
        "--producers=2",
        "--consumers=2",
        "--seed=8",
        "--time-scale=0.05",
    ];
    let mut run = Watched::start(command(Some(&server), &args));
    run.until_out(" got ");
    let mut all = vec![run.pid()];
    all.extend(descendants(run.pid()));
    for _ in 0..3 {
        for &pid in &all {
            processes::signal(pid, Signal::SIGSTOP);
        }
        thread::sleep(Duration::from_millis(300));
        for &pid in &all {
            processes::signal(pid, Signal::SIGCONT);
        }
        thread::sleep(Duration::from_millis(100));
    }
    let ended = run.finish();
    assert!(ended.status.success(), "{}", ended.err);
    assert!(!ended.err.contains("Interrupted"), "{}", ended.err);
    let mut config = config(2, 2, 10, 8);
    config.time_scale = 0.05;
    ended.kept(&config, "the run");
}

#[test]
fn an_entry_that_is_no_item_goes_to_the_dead_letter_stream() {
    let server = Server::start("poison");
    let mut run = slow_run(Some(&server), 2, 10);
    let stream = run.stream();
    let mut con = server.connect();
    let _: String = con.xadd(&stream, "*", &[("garbage", "x")]).expect("XADD");
    let ended = run.finish();
    assert_eq!(ended.status.code(), Some(1), "{}", ended.err);
    let dead = format!("{stream}:dead");
    assert!(
        ended.err.contains(&format!("dead-letter stream {dead}")),
        "{}",
        ended.err
    );
    let mut config = config(1, 2, 10, 3);
    config.time_scale = 0.2;
    ended.kept(&config, "every item still processed");
    // Kept for inspection, with its reason; the run's other keys are gone.
    let letters: redis::streams::StreamRangeReply = con.xrange_all(&dead).expect("XRANGE");
    assert_eq!(letters.ids.len(), 1);
    let reason: String = letters.ids[0].get("reason").expect("a reason");
    assert_eq!(reason, "not an item");
    let garbage: String = letters.ids[0].get("garbage").expect("its fields");
    assert_eq!(garbage, "x");
    let keys: Vec<String> = con.keys("*").expect("KEYS");
    assert_eq!(keys, [dead]);
}

#[test]
fn an_entry_delivered_too_often_goes_to_the_dead_letter_stream() {
    // Started by hand: open a stream, and give it an entry that three
    // consumers took and never acknowledged (each died on it).
    let server = Server::start("redelivered");
    let url = server.url();
    let by_hand = |args: &[&str]| {
        let mut command = command(None, args);
        command.env("REDIS_URL", &url);
        run_bounded(command, "by hand")
    };
    assert!(by_hand(&["open", "--stream=jobs"]).status.success());
    let mut con = server.connect();
    let id: String = con
        .xadd(
            "jobs",
            "*",
            &[("producer", "0"), ("i", "0"), ("value", "0.5")],
        )
        .expect("XADD");
    // A consumer took it (and died); two more claimed it (and died).
    let _: redis::Value = redis::cmd("XREADGROUP")
        .arg(
            &[
                "GROUP",
                "consumers",
                "ghost",
                "COUNT",
                "1",
                "STREAMS",
                "jobs",
                ">",
            ][..],
        )
        .query(&mut con)
        .expect("XREADGROUP");
    let _: redis::Value = redis::cmd("XCLAIM")
        .arg(&["jobs", "consumers", "ghost", "0", &id, "IDLE", "100000"][..])
        .arg(&["RETRYCOUNT", "3", "JUSTID"][..])
        .query(&mut con)
        .expect("XCLAIM");
    assert!(by_hand(&["close", "--stream=jobs"]).status.success());
    let output = by_hand(&["consumer", "--stream=jobs", "--time-scale=0"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!("entry {id} moved to jobs:dead")),
        "{stderr}"
    );
    assert!(
        stderr.contains("delivered 4 times, never acknowledged"),
        "{stderr}"
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(!stdout.contains(" got "), "never processed: {stdout}");
    let left: usize = con.xlen("jobs:dead").expect("XLEN");
    assert_eq!(left, 1);
}

#[test]
fn a_close_marker_left_by_an_earlier_session_stops_no_consumer() {
    let server = Server::start("stale");
    let mut con = server.connect();
    let _: () = con
        .set("jobs:closed", 1)
        .expect("an earlier session's marker");
    let url = server.url();
    let by_hand = |args: &[&str]| {
        let mut command = command(None, args);
        command.env("REDIS_URL", &url);
        command
    };
    let open = run_bounded(by_hand(&["open", "--stream=jobs"]), "open");
    let said = String::from_utf8_lossy(&open.stdout);
    assert!(said.contains("removed jobs:closed"), "{said}");
    // The consumer starts first, and waits for a producer started later.
    let mut consumer = Watched::start(by_hand(&["consumer", "--stream=jobs", "--time-scale=0"]));
    consumer.until_out("Consumer 0: Running");
    let producer = by_hand(&[
        "producer",
        "--stream=jobs",
        "--items=5",
        "--time-scale=0.01",
    ]);
    assert!(run_bounded(producer, "the producer").status.success());
    assert!(
        run_bounded(by_hand(&["close", "--stream=jobs"]), "close")
            .status
            .success()
    );
    let ended = consumer.finish();
    assert!(ended.status.success(), "{}", ended.err);
    assert_eq!(ended.count(" got "), 5, "{:?}", ended.out);
}

#[test]
fn a_process_started_while_its_server_is_paused_waits_if_a_run_started_it() {
    // A run has reached its server before it starts its producers and
    // consumers, so one that finds the server paused as it starts must
    // wait, as for a pause later on. Started by hand, a program that finds
    // no answer reports it within seconds instead.
    let server = Server::start("paused-start");
    let url = server.url();
    let role = |args: &[&str], started_by_run: bool| {
        let mut command = command(None, args);
        command.env("REDIS_URL", &url);
        if started_by_run {
            // How a run tells the processes it starts that it started them.
            command.env("REDIS_STREAMS_PARENT", std::process::id().to_string());
        }
        command
    };
    let open = run_bounded(role(&["open", "--stream=jobs"], false), "open");
    assert!(open.status.success());
    processes::signal(server.pid(), Signal::SIGSTOP);
    let by_hand = run_bounded(role(&["consumer", "--stream=jobs"], false), "by hand");
    let said = String::from_utf8_lossy(&by_hand.stderr);
    assert_eq!(by_hand.status.code(), Some(5), "{said}");
    assert!(said.contains("no answer in time"), "{said}");
    let consumer = ["consumer", "--stream=jobs", "--retry-for=60"];
    let mut waiting = Watched::start(role(&consumer, true));
    waiting.until_err("cannot be reached (no answer in time");
    processes::signal(server.pid(), Signal::SIGCONT);
    waiting.until_out("Consumer 0: Running");
    let close = run_bounded(role(&["close", "--stream=jobs"], false), "close");
    assert!(close.status.success());
    let ended = waiting.finish();
    assert!(ended.status.success(), "{}", ended.err);
}

#[test]
fn kill_9_on_a_consumer_process_loses_nothing() {
    // The programs as a user runs them in separate terminals: a producer,
    // a consumer that is killed with SIGKILL while it holds an item, then
    // a second consumer that takes over.
    let server = Server::start("kill");
    let url = server.url();
    let by_hand = |args: &[&str]| {
        let mut command = command(None, args);
        command.env("REDIS_URL", &url);
        command
    };
    assert!(
        run_bounded(by_hand(&["open", "--stream=k"]), "open")
            .status
            .success()
    );
    let producer = by_hand(&["producer", "--stream=k", "--seed=5", "--time-scale=0"]);
    let producer = Watched::start(producer);
    let doomed = Watched::start(by_hand(&["consumer", "--stream=k", "--time-scale=0.3"]));
    let mut con = server.connect();
    let held = pause_holding(&mut con, ("k", "consumer-0"), doomed.pid(), false);
    processes::signal(doomed.pid(), Signal::SIGKILL); // No goodbye, no XACK.
    let doomed = doomed.finish();
    assert!(producer.finish().status.success());
    let close = by_hand(&["close", "--stream=k"]);
    assert!(run_bounded(close, "close").status.success());
    let heir = by_hand(&["consumer", "--stream=k", "--id=1", "--time-scale=0.3"]);
    let heir = Watched::start(heir).finish();
    assert!(heir.status.success(), "{}", heir.err);
    // Every item once, and the one it held reclaimed by the heir.
    let got = doomed.count(" got ") + heir.count(" got ") + heir.count(" reclaimed ");
    assert_eq!(got, 10, "{:?} {:?}", doomed.out, heir.out);
    assert_eq!(heir.count(" reclaimed "), 1, "{held} reclaimed");
    let left: usize = con.xlen("k").expect("XLEN");
    assert_eq!(left, 0, "every entry processed, acknowledged and deleted");
}

/// A run of two producers and two consumers on `server`, which restarts
/// once a consumer has processed an item.
fn restarted_mid_run(server: &mut Server) -> support::Ended {
    let args = [
        "--producers=2",
        "--consumers=2",
        "--seed=4",
        "--time-scale=0.05",
    ];
    let mut run = Watched::start(command(Some(server), &args));
    run.until_out(" got ");
    server.restart();
    run.finish()
}

#[test]
fn a_restart_of_a_server_that_keeps_its_data_loses_nothing() {
    let options = Options {
        persistent: true,
        ..Options::default()
    };
    let mut server = Server::start_with("restart", options);
    let ended = restarted_mid_run(&mut server);
    assert!(ended.status.success(), "{}", ended.err);
    let mut config = config(2, 2, 10, 4);
    config.time_scale = 0.05;
    ended.kept(&config, "the run");
    let keys: Vec<String> = server.connect().keys("*").expect("KEYS");
    assert_eq!(keys, Vec::<String>::new(), "nothing left behind");
}

#[test]
fn a_server_that_lost_its_data_in_a_restart_is_reported() {
    let mut server = Server::start("amnesia");
    let ended = restarted_mid_run(&mut server);
    assert_eq!(ended.status.code(), Some(5), "{}", ended.err);
    assert!(ended.err.contains("lost its data"), "{}", ended.err);
    assert!(
        ended.err.contains("never"),
        "what is missing: {}",
        ended.err
    );
}

#[test]
fn a_server_gone_for_longer_than_retry_for_ends_the_run() {
    let server = Server::start("gone");
    let args = ["--seed=1", "--items=100", "--retry-for=1"];
    let mut run = Watched::start(command(Some(&server), &args));
    run.until_out(" got ");
    drop(server);
    let ended = run.finish();
    assert_eq!(ended.status.code(), Some(5), "{}", ended.err);
    assert!(ended.err.contains("lost Redis at"), "{}", ended.err);
    assert!(!ended.err.contains("panicked"), "{}", ended.err);
}

#[test]
fn a_signal_ends_a_run_that_is_waiting_for_a_lost_server() {
    // The server goes away and the run waits for it (up to a minute);
    // SIGTERM then ends it within seconds, with its own exit code and a
    // last line that says so, not the lost server's code a minute later.
    for (signal, code) in [(Signal::SIGTERM, 143), (Signal::SIGINT, 130)] {
        let server = Server::start("sigterm-retrying");
        let args = ["--seed=1", "--items=100", "--retry-for=60"];
        let mut run = Watched::start(command(Some(&server), &args));
        run.until_out(" got ");
        drop(server);
        run.until_err("cannot be reached");
        let asked = Instant::now();
        processes::signal(run.pid(), signal);
        let ended = run.finish();
        assert_stopped_by(&ended, signal, code);
        // Not a timing bound: the old behaviour waited out --retry-for.
        assert!(
            asked.elapsed() < Duration::from_secs(50),
            "{:?}",
            asked.elapsed()
        );
    }
}

#[test]
fn a_signal_ends_a_run_whose_producer_waits_for_room_beside_a_stopped_consumer() {
    // The one consumer is stopped (SIGSTOP), so the stream fills to its
    // bound and the producer waits for room, polling. SIGTERM to the run
    // must end it all the same: a stopped process acts on no signal but
    // SIGKILL until it is continued, and none may be left behind.
    for (signal, code) in [(Signal::SIGTERM, 143), (Signal::SIGINT, 130)] {
        let server = Server::start("waiting-for-room");
        let args = [
            "--producers=1",
            "--consumers=1",
            "--items=100",
            "--capacity=2",
            "--seed=1",
            "--time-scale=0.05",
        ];
        let mut run = Watched::start(command(Some(&server), &args));
        let stream = run.stream();
        run.until_out(" got ");
        let started = all_started(&run, 2);
        let consumer = process_of(&run, "consumer --id=0");
        processes::signal(consumer, Signal::SIGSTOP);
        let mut con = server.connect();
        wait_until("a full stream", || {
            con.xlen::<_, usize>(&stream).unwrap_or(0) >= 2
        });
        processes::signal(run.pid(), signal);
        let ended = run.finish();
        assert_stopped_by(&ended, signal, code);
        // The producer was held back by the bound: it never added all.
        assert!(
            !ended.err.contains("100 of 100 items added"),
            "{}",
            ended.err
        );
        let left = still_running_after(&started, DEADLOCK_BOUND);
        assert!(left.is_empty(), "still running: {left:?}");
    }
}

#[test]
fn pausing_every_process_for_longer_than_retry_for_loses_nothing() {
    // A laptop's lid closed, or Ctrl-Z left for a while: every process of
    // the run stopped for three times --retry-for. Stopped is not lost:
    // the server was there all along.
    let server = Server::start("long-pause");
    // A slow producer: the consumers wait for items in a blocking read,
    // which a stop interrupts.
    let args = [
        "--producers=1",
        "--consumers=2",
        "--items=6",
        "--seed=9",
        "--time-scale=0.3",
        "--retry-for=1",
    ];
    let mut run = Watched::start(command(Some(&server), &args));
    run.until_out(" got ");
    let mut all = vec![run.pid()];
    all.extend(descendants(run.pid()));
    for &pid in &all {
        processes::signal(pid, Signal::SIGSTOP);
    }
    thread::sleep(Duration::from_secs(3));
    for &pid in &all {
        processes::signal(pid, Signal::SIGCONT);
    }
    let ended = run.finish();
    assert!(ended.status.success(), "{}", ended.err);
    assert!(!ended.err.contains("lost Redis"), "{}", ended.err);
    let mut config = config(1, 2, 6, 9);
    config.time_scale = 0.3;
    ended.kept(&config, "the run");
}

#[test]
fn a_server_that_does_not_speak_redis_gets_one_line() {
    // Something else listens where REDIS_URL points: a web server, say.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    let port = listener.local_addr().expect("its address").port();
    let answering = thread::spawn(move || {
        use std::io::{Read, Write};
        for stream in listener.incoming().take(3) {
            let Ok(mut stream) = stream else { break };
            let mut asked = [0u8; 512];
            let _ = stream.read(&mut asked);
            let _ = stream.write_all(
                b"HTTP/1.1 400 Bad Request\r\nContent-Type: text/html\r\n\r\n<html><body>\n<h1>400</h1>\n</body></html>\n",
            );
        }
    });
    let mut command = command(None, &["--seed=1"]);
    command.env("REDIS_URL", format!("redis://127.0.0.1:{port}/"));
    let ended = Watched::start(command).finish();
    drop(answering);
    assert_eq!(ended.status.code(), Some(5), "{}", ended.err);
    let lines: Vec<&str> = ended.err.lines().collect();
    assert_eq!(lines.len(), 1, "one line: {}", ended.err);
    assert!(
        lines[0].contains(&format!("127.0.0.1:{port}")),
        "{}",
        ended.err
    );
    assert!(!ended.err.contains("panicked"), "{}", ended.err);
}

#[test]
fn a_bounded_run_whose_consumers_are_all_gone_ends_and_says_so() {
    // The one consumer dies on its third item; the producer, bounded to
    // two unprocessed items, would wait for room for ever.
    let server = Server::start("no-consumer");
    let args = [
        "--producers=1",
        "--consumers=1",
        "--items=20",
        "--capacity=2",
        "--seed=5",
        "--time-scale=0.01",
        "--crash=0:2",
    ];
    let ended = Watched::start(command(Some(&server), &args)).finish();
    assert_eq!(ended.status.code(), Some(1), "{}", ended.err);
    assert!(
        ended
            .err
            .contains("every consumer ended before the producers were done"),
        "{}",
        ended.err
    );
    assert!(
        ended.err.contains("producer 0 was stopped"),
        "{}",
        ended.err
    );
    assert!(ended.err.contains("never made"), "{}", ended.err);
    let keys: Vec<String> = server.connect().keys("*").expect("KEYS");
    assert_eq!(keys, Vec::<String>::new(), "nothing left behind");
}

#[test]
fn a_consumer_group_destroyed_under_a_bounded_run_is_reported() {
    // Another client destroys the run's group: every consumer is refused
    // by the server, and the bounded producers would wait for ever.
    let server = Server::start("group-gone");
    let args = [
        "--producers=2",
        "--consumers=2",
        "--items=30",
        "--capacity=3",
        "--seed=6",
        "--time-scale=0.02",
    ];
    let mut run = Watched::start(command(Some(&server), &args));
    let stream = run.stream();
    run.until_out(" got ");
    let mut con = server.connect();
    let destroyed: i64 = redis::cmd("XGROUP")
        .arg("DESTROY")
        .arg(&stream)
        .arg("consumers")
        .query(&mut con)
        .expect("XGROUP DESTROY");
    assert_eq!(destroyed, 1, "the run's group");
    let ended = run.finish();
    assert_ne!(ended.status.code(), Some(0), "{}", ended.err);
    assert!(ended.err.contains("group"), "{}", ended.err);
    assert!(
        ended
            .err
            .contains("every consumer ended before the producers were done"),
        "{}",
        ended.err
    );
}

#[test]
fn a_private_server_that_cannot_start_says_why_in_its_own_words() {
    // A socket's path is at most 107 bytes: a private server's folder deep
    // in a long TMPDIR cannot hold one. redis-server says so in its log,
    // and the run passes its words on.
    let scratch = tempfile::tempdir().expect("a scratch folder");
    let deep = scratch.path().join("d".repeat(60)).join("e".repeat(60));
    std::fs::create_dir_all(&deep).expect("a deep folder");
    let mut command = command(None, &["--seed=1", "--items=2", "--time-scale=0"]);
    command.env("TMPDIR", &deep);
    let ended = Watched::start(command).finish();
    assert_eq!(ended.status.code(), Some(5), "{}", ended.err);
    assert!(
        ended.err.contains("redis-server stopped as it started"),
        "{}",
        ended.err
    );
    assert!(ended.err.contains("redis-server: "), "{}", ended.err);
    assert!(
        ended.err.contains("path too long"),
        "its reason: {}",
        ended.err
    );
}

#[test]
fn an_entry_of_any_bytes_goes_to_the_dead_letter_stream_as_it_was() {
    // Another client writes entries whose field names and values are not
    // text, one of them a megabyte: no consumer dies on them, each is
    // moved with its reason and its bytes, and every item is processed.
    let server = Server::start("bytes");
    let mut run = slow_run(Some(&server), 2, 10);
    let stream = run.stream();
    let mut con = server.connect();
    let big = vec![0xffu8; 1 << 20];
    let _: String = redis::cmd("XADD")
        .arg(&stream)
        .arg("*")
        .arg(&[0xff_u8, 0xfe][..])
        .arg(&[0x80_u8, 0x00][..])
        .query(&mut con)
        .expect("XADD");
    let _: String = redis::cmd("XADD")
        .arg(&stream)
        .arg("*")
        .arg("value")
        .arg(&big[..])
        .query(&mut con)
        .expect("XADD");
    let ended = run.finish();
    assert_eq!(ended.status.code(), Some(1), "{}", ended.err);
    assert!(
        ended.err.lines().all(|line| line.len() < 300),
        "no line is a dump: {}",
        ended.err.chars().take(2000).collect::<String>()
    );
    assert!(
        ended
            .err
            .contains("2 entries moved to the dead-letter stream"),
        "{}",
        ended.err
    );
    let mut config = config(1, 2, 10, 3);
    config.time_scale = 0.2;
    ended.kept(&config, "every item still processed");
    let dead = format!("{stream}:dead");
    let letters: redis::Value = redis::cmd("XRANGE")
        .arg(&dead)
        .arg("-")
        .arg("+")
        .query(&mut con)
        .expect("XRANGE");
    let text = format!("{letters:?}");
    assert!(
        text.contains("not UTF-8"),
        "{}",
        text.chars().take(500).collect::<String>()
    );
    let redis::Value::Array(entries) = letters else {
        panic!("a list of entries")
    };
    assert_eq!(entries.len(), 2);
    // The megabyte is kept whole.
    let letters: redis::Value = redis::cmd("XRANGE")
        .arg(&dead)
        .arg("-")
        .arg("+")
        .query(&mut con)
        .expect("XRANGE");
    let mut kept = Vec::new();
    bulk_strings(&letters, &mut kept);
    assert!(kept.contains(&big), "the megabyte value, kept as it was");
    assert!(kept.contains(&vec![0xff, 0xfe]) && kept.contains(&vec![0x80, 0x00]));
}

/// Every bulk string in `value`, however deep.
fn bulk_strings(value: &redis::Value, all: &mut Vec<Vec<u8>>) {
    match value {
        redis::Value::BulkString(bytes) => all.push(bytes.clone()),
        redis::Value::Array(items) => items.iter().for_each(|item| bulk_strings(item, all)),
        _ => {}
    }
}

#[test]
fn remove_deletes_what_a_session_by_hand_left_and_nothing_else() {
    let server = Server::start("remove");
    let mut con = server.connect();
    // Another program's key under one of the names: it stays.
    let _: () = con.set("jobs:made", "theirs").expect("SET");
    let _: () = con.set("other", 1).expect("SET");
    let url = server.url();
    let by_hand = |args: &[&str]| {
        let mut command = command(None, args);
        command.env("REDIS_URL", &url);
        command
    };
    let ran = |args: &[&str]| {
        let done = run_bounded(by_hand(args), args[0]);
        assert!(
            done.status.success(),
            "{}",
            String::from_utf8_lossy(&done.stderr)
        );
        String::from_utf8_lossy(&done.stdout).into_owned()
    };
    ran(&["open", "--stream=jobs"]);
    let _: String = con.xadd("jobs", "*", &[("garbage", "x")]).expect("XADD");
    ran(&["close", "--stream=jobs"]);
    let said = ran(&["remove", "--stream=jobs"]);
    assert!(
        said.contains("removed the stream jobs (1 entries)"),
        "{said}"
    );
    assert!(said.contains("the close marker jobs:closed"), "{said}");
    assert!(said.contains("jobs:made holds a string"), "{said}");
    let mut keys: Vec<String> = con.keys("*").expect("KEYS");
    keys.sort();
    assert_eq!(keys, ["jobs:made", "other"]);
    let again = ran(&["remove", "--stream=jobs"]);
    assert!(
        again.contains("nothing of jobs to remove") || again.contains("left alone"),
        "{again}"
    );
}

#[test]
fn a_user_without_a_command_it_needs_is_refused_before_any_work() {
    // A server user allowed everything but XAUTOCLAIM: the run, and a
    // consumer started by hand, refuse at once with one line that names
    // the command, before any item is made or taken, and leave no key.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let options = harness::redis_server::Options {
        port: Some(port),
        ..Default::default()
    };
    let server = Server::start_with("acl", options);
    let mut con = server.connect();
    let _: () = redis::cmd("ACL")
        .arg(&[
            "SETUSER",
            "worker",
            "on",
            ">s3cret",
            "~*",
            "&*",
            "+@all",
            "-xautoclaim",
        ])
        .query(&mut con)
        .expect("ACL SETUSER");
    let url = format!("redis://worker:s3cret@127.0.0.1:{port}/");
    for args in [
        &["--seed=1", "--items=5"][..],
        &["open", "--stream=jobs"],
        &["consumer", "--stream=jobs"],
    ] {
        let mut command = command(None, args);
        command.env("REDIS_URL", &url);
        let ended = Watched::start(command).finish();
        assert_eq!(ended.status.code(), Some(5), "{args:?}: {}", ended.err);
        assert!(
            ended.err.contains("may not run XAUTOCLAIM"),
            "{args:?}: {}",
            ended.err
        );
        assert!(ended.err.contains("+xautoclaim"), "{args:?}: {}", ended.err);
        assert_eq!(
            ended.err.lines().count(),
            1,
            "{args:?}: one line: {}",
            ended.err
        );
        assert!(!ended.err.contains("s3cret"), "{}", ended.err);
        assert_eq!(ended.count(" got "), 0);
    }
    let keys: Vec<String> = con.keys("*").expect("KEYS");
    assert_eq!(keys, Vec::<String>::new(), "no key made or left");
}

#[test]
fn entries_another_client_deletes_or_adds_are_named_by_identity() {
    // While the consumers are stopped, another client deletes two of the
    // run's entries and adds two look-alikes (the right fields, values no
    // producer of the run made). The counts still match (ten processed of
    // ten added): only identities tell. The run names both.
    let server = Server::start("look-alikes");
    let mut run = slow_run(Some(&server), 2, 10);
    let stream = run.stream();
    run.until_out("Consumer 1: Running");
    let consumers: Vec<u32> = descendants(run.pid())
        .into_iter()
        .filter(|&pid| command_line(pid).contains(" consumer "))
        .collect();
    assert_eq!(consumers.len(), 2, "both consumers");
    run.until_out("added (1,");
    for &pid in &consumers {
        processes::signal(pid, Signal::SIGSTOP);
    }
    run.until_out("added (4,");
    let mut con = server.connect();
    // Entries no consumer has taken: in the stream, and not pending.
    let all: redis::streams::StreamRangeReply = con.xrange_all(&stream).expect("XRANGE");
    let pending: redis::streams::StreamPendingCountReply = con
        .xpending_count(&stream, "consumers", "-", "+", 100)
        .expect("XPENDING");
    let taken: Vec<&str> = pending.ids.iter().map(|p| p.id.as_str()).collect();
    let free: Vec<String> = (all.ids.iter())
        .map(|entry| entry.id.clone())
        .filter(|id| !taken.contains(&id.as_str()))
        .collect();
    assert!(free.len() >= 2, "entries no consumer took: {free:?}");
    let _: usize = con.xdel(&stream, &free[..2]).expect("XDEL");
    for (i, value) in [(3, "0.123"), (8, "0.456")] {
        let fields = [("producer", "0"), ("i", &i.to_string()), ("value", value)];
        let _: String = con.xadd(&stream, "*", &fields).expect("XADD");
    }
    for &pid in &consumers {
        processes::signal(pid, Signal::SIGCONT);
    }
    let ended = run.finish();
    assert_eq!(ended.status.code(), Some(1), "{}", ended.err);
    assert!(
        ended
            .err
            .contains("2 items of 10 added never processed: producer 0's ("),
        "{}",
        ended.err
    );
    assert!(
        ended
            .err
            .contains("2 items processed that no producer of this run added")
            && ended.err.contains("(3, 0.123)")
            && ended.err.contains("(8, 0.456)"),
        "{}",
        ended.err
    );
}

#[test]
fn an_acknowledgement_whose_answer_was_lost_is_not_taken_for_a_duplicate() {
    // Each consumer works on an item for a while, on its own: frozen
    // then, the server finds every consumer's acknowledgement waiting once
    // it continues. It runs each, but their answers are lost (each
    // consumer gave up on that connection after ten seconds) and each
    // consumer sends its acknowledgement again: it must learn that its
    // first try did the work, not that another consumer took its item.
    frozen_mid_run("lost-ack", (2, 3, 100, 7), 0.1, 21);
}

/// A run of `producers`, `consumers`, `items` each, `seed` and
/// `time_scale`, whose server is frozen (`SIGSTOP`) for `seconds` once
/// an item is processed: it must end well, each item processed once.
fn frozen_mid_run(
    name: &str,
    (producers, consumers, items, seed): (usize, usize, usize, u64),
    time_scale: f64,
    seconds: u64,
) {
    let server = Server::start(name);
    let args = [
        format!("--producers={producers}"),
        format!("--consumers={consumers}"),
        format!("--items={items}"),
        format!("--seed={seed}"),
        format!("--time-scale={time_scale}"),
        "--retry-for=60".to_string(),
    ];
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut run = Watched::start(command(Some(&server), &args));
    run.until_out(" got ");
    processes::signal(server.pid(), Signal::SIGSTOP);
    thread::sleep(Duration::from_secs(seconds));
    processes::signal(server.pid(), Signal::SIGCONT);
    let ended = run.finish();
    assert!(ended.status.success(), "{}", ended.err);
    assert_eq!(ended.count(" duplicated "), 0, "{}", ended.err);
    let mut config = config(producers, consumers, items, seed);
    config.time_scale = time_scale;
    ended.kept(&config, "the run");
}

#[test]
fn a_server_paused_longer_than_a_command_waits_loses_and_doubles_nothing() {
    // The server frozen for twelve seconds, longer than any one command
    // waits for an answer (ten), shorter than --retry-for: every process
    // waits it out, and the account is true, each item processed once.
    frozen_mid_run("frozen", (2, 2, 20, 3), 0.05, 12);
}

#[test]
fn a_run_whose_file_is_replaced_as_it_starts_still_starts_its_server() {
    // A rebuild or an upgrade replaces a program's file while it runs: its
    // path then leads nowhere, and the private server, which runs this
    // program again, must still start. The copy is removed as soon as it
    // runs, before the program has read its flags.
    let scratch = tempfile::tempdir().expect("a scratch folder");
    let copy = scratch.path().join("redis-streams");
    std::fs::copy(support::EXE, &copy).expect("a copy of the program");
    let mut command = command(None, &["--seed=1", "--items=2", "--time-scale=0"]);
    let args: Vec<_> = command.get_args().map(ToOwned::to_owned).collect();
    let mut replaced = std::process::Command::new(&copy);
    replaced
        .args(args)
        .env_remove("REDIS_URL")
        .env_remove("RUST_BACKTRACE");
    command = replaced;
    let run = Watched::start(command);
    std::fs::remove_file(&copy).expect("the copy is removed");
    let ended = run.finish();
    assert!(ended.status.success(), "{}", ended.err);
}
