//! The Python programs: the twins in `examples/python`, which the book
//! shows beside their Rust programs, checked by the same checker; and the
//! scripts the Performance chapter runs, which must keep reporting what
//! the report reads.

use std::process::Command;

fn python(script: &str, args: &[&str]) -> String {
    let path = harness::programs::workspace_root()
        .join("benches/python")
        .join(script);
    let output = Command::new("python3")
        .arg(&path)
        .args(args)
        .output()
        .expect("python3 runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{script} {args:?}: {stderr}");
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

#[test]
fn the_queue_benchmark_reports_a_time_per_message() {
    for args in [
        &[
            "--kind",
            "Queue",
            "--capacity",
            "4",
            "--producers",
            "2",
            "--consumers",
            "2",
        ][..],
        &["--kind", "SimpleQueue", "--capacity", "unbounded"],
    ] {
        let args = [args, &["--messages", "2000", "--repeats", "2"]].concat();
        let out = python("queue_throughput.py", &args);
        let times = out
            .trim()
            .strip_prefix("{\"ns_per_message\": [")
            .and_then(|rest| rest.strip_suffix("]}"))
            .unwrap_or_else(|| panic!("unexpected output: {out}"));
        let times: Vec<f64> = times
            .split(", ")
            .map(|t| t.parse().expect("a number"))
            .collect();
        assert_eq!(times.len(), 2);
        assert!(times.iter().all(|&t| t > 0.0), "{times:?}");
    }
}

#[test]
fn the_tutorial_programs_make_every_item_and_report_a_makespan() {
    let scratch = tempfile::tempdir().expect("a temporary folder");
    let json = scratch.path().join("sections.json");
    for (section, producers, items, consumers) in [
        ("one-one", 1, 10, 1),
        ("many-one", 3, 5, 1),
        ("one-many", 1, 10, 3),
        ("many-many", 3, 10, 5),
    ] {
        let args = ["--section", section, "--seed", "1", "--time-scale", "0.001"];
        let out = python(
            "sections.py",
            &[&args[..], &["--json", json.to_str().unwrap()]].concat(),
        );
        let got = out.matches(" got (").count();
        assert_eq!(got, producers * items, "{section}:\n{out}");
        assert_eq!(
            out.matches(": Done").count(),
            producers + consumers,
            "{section}:\n{out}"
        );
        let report = std::fs::read_to_string(&json).expect("the JSON report");
        assert!(report.starts_with("{\"values\": [["), "{report}");
        assert!(report.contains("\"makespan\": "), "{report}");
    }
}

/// Each Python twin, the Rust program whose rules it keeps, and the
/// flags both take for the run.
const TWINS: &[(&str, &str, &[&str])] = &[
    ("one_one", "one-one", &[]),
    ("many_one", "many-one", &[]),
    ("one_many", "one-many", &[]),
    ("many_many", "many-many", &[]),
    ("counting_sentinels", "counting_sentinels", &[]),
    ("event_timeout", "event_timeout", &[]),
    ("task_done", "task_done", &[]),
    ("backpressure", "backpressure", &["--capacity", "5"]),
    ("async_consumers", "async_consumers", &[]),
    ("async_one_one", "async_one_one", &[]),
    ("async_many_one", "async_many_one", &[]),
    ("async_one_many", "async_one_many", &[]),
    ("async_many_many", "async_many_many", &[]),
    ("shutdown", "shutdown", &[]),
];

/// Runs twin `name` with `args` (and a seed and a short time scale), and
/// reads its lines back; `None` if this Python lacks what the twin needs
/// (it says so, and exits 1).
fn run_twin(name: &str, args: &[&str]) -> Option<(std::process::Output, Vec<harness::Event>)> {
    let path = harness::programs::workspace_root().join(format!("examples/python/{name}.py"));
    let mut command = Command::new("python3");
    command
        .arg(&path)
        .args(["--seed", "1", "--time-scale", "0.01"])
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let output = harness::testing::run_bounded(command, name);
    let stderr = String::from_utf8_lossy(&output.stderr);
    if stderr.contains("needs Python 3.13") {
        eprintln!("skipped {name}.py: {stderr}");
        return None;
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let events = harness::events::parse_output(&stdout)
        .unwrap_or_else(|e| panic!("{name}.py prints a line its Rust twin never would: {e}"));
    Some((output, events))
}

/// The settings of Rust program `program` with `args`, as it reads them.
fn rust_settings(program: &str, args: &[&str]) -> (harness::Section, harness::Settings) {
    let section = harness::programs::named(program).expect("a program");
    let args = [&["--seed", "1", "--time-scale", "0.01"][..], args].concat();
    let settings = harness::settings::parse(&section, args)
        .unwrap_or_else(|error| panic!("{program}: not a run: {error}"));
    (section, settings)
}

#[test]
fn every_python_twin_keeps_the_rules_of_its_rust_program() {
    // The checker knows each item by the values the Rust program draws:
    // a twin passes only if the same seed made the same items.
    for &(twin, program, args) in TWINS {
        let Some((output, events)) = run_twin(twin, args) else {
            continue;
        };
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{twin}.py: {stderr}");
        let (section, config) = rust_settings(program, args);
        harness::testing::assert_kept(&section, &config, &events, &format!("{twin}.py"));
    }
}

#[test]
fn python_twins_that_fail_fail_as_their_pages_say() {
    // A consumer that raises: the item in flight is lost, the others go on,
    // and Python exits 0 all the same.
    let (output, events) = run_twin("consumer_panic", &[]).expect("any Python runs it");
    assert_eq!(output.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&output.stderr).contains("RuntimeError"));
    let (section, config) = rust_settings("consumer_panic", &[]);
    let verdict = harness::check_printed(&section, &config, &events);
    assert_eq!(verdict.never_consumed.len(), 1, "{verdict}");
    let done = events
        .iter()
        .filter(|e| e.what == harness::What::Done)
        .count();
    assert_eq!(done, 3, "the producer and two consumers end");
    // An immediate shutdown throws away what is queued, without a line.
    if let Some((output, events)) = run_twin("shutdown_immediate", &[]) {
        assert!(output.status.success());
        let (section, config) = rust_settings("shutdown_immediate", &[]);
        let verdict = harness::check_printed(&section, &config, &events);
        let done = events
            .iter()
            .filter(|e| e.what == harness::What::Done)
            .count();
        assert_eq!(done, 5, "every thread ends");
        assert!(
            verdict
                .problems
                .iter()
                .all(|p| p.contains("never consumed")),
            "{verdict}"
        );
    }
}

#[test]
fn a_twin_refuses_a_bad_value_in_a_few_words() {
    // Python's maxsize=0 means unbounded: backpressure.py takes no 0, and
    // says why, briefly (argparse's usage, then one error line).
    let path = harness::programs::workspace_root().join("examples/python/backpressure.py");
    let mut command = Command::new("python3");
    command
        .arg(&path)
        .args(["--capacity", "0"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let output = harness::testing::run_bounded(command, "backpressure.py --capacity 0");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("must be at least 1"), "{stderr}");
    assert!(
        stderr.lines().count() <= 3 && stderr.len() < 500,
        "{stderr}"
    );
}

/// A Python that has redis-py: `REDIS_PYTHON`, or the virtual environment
/// `.ci/run` makes in `target/python-redis`.
fn python_with_redis() -> std::path::PathBuf {
    let made = harness::programs::workspace_root().join("target/python-redis/bin/python");
    let path = std::env::var_os("REDIS_PYTHON").map_or(made, std::path::PathBuf::from);
    assert!(
        path.exists(),
        "no Python with redis-py at {}: python3 -m venv target/python-redis && \
         target/python-redis/bin/pip install redis==8.1.0 (or set REDIS_PYTHON)",
        path.display()
    );
    path
}

/// Runs `command` to its end (within the hang bound), and returns its
/// standard output; fails if it fails.
fn finished(mut command: Command, what: &str) -> String {
    command
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let ran = harness::testing::run_within(command, what, harness::testing::DEADLOCK_BOUND);
    let stderr = String::from_utf8_lossy(&ran.stderr);
    assert!(ran.status.success(), "{what}: {stderr}");
    String::from_utf8(ran.stdout).expect("UTF-8 output")
}

/// The `got` lines of `output`, as `(i, value)` texts, sorted.
fn got(output: &str) -> Vec<String> {
    let mut items: Vec<String> = output
        .lines()
        .filter_map(|line| line.split_once(" got ").map(|(_, item)| item.to_string()))
        .collect();
    items.sort();
    items
}

/// A server of its own, and the URL of its socket in a form both clients
/// read (redis-py has no `redis+unix://`).
fn server_for(name: &str) -> (harness::redis_server::RedisServer, String) {
    let server = harness::redis_server::RedisServer::start(name);
    let url = server.url().replace("redis+unix://", "unix://");
    (server, url)
}

/// `program ARGS`, on the server at `url`.
fn client(program: &std::path::Path, args: &[&str], url: &str) -> Command {
    let mut command = Command::new(program);
    command
        .args(args)
        .env("REDIS_URL", url)
        .env_remove("RUST_BACKTRACE");
    command
}

/// The Rust program, and one of the Python clients.
fn programs(python_client: &str) -> (std::path::PathBuf, String) {
    let rust = harness::programs::path_of(&harness::programs::REDIS_STREAMS);
    let script = harness::programs::workspace_root()
        .join("examples/python")
        .join(python_client);
    (rust, script.to_str().expect("a path").to_string())
}

/// The items producer `producer` makes with `seed`, as printed, sorted.
fn expected(seed: u64, producer: usize) -> Vec<String> {
    let mut items: Vec<String> = harness::item::expected_items(seed, producer, 10)
        .iter()
        .map(ToString::to_string)
        .collect();
    items.sort();
    items
}

/// The wire format is a contract other clients can keep: a Python
/// producer written with redis-py, from the book's description of the
/// stream, feeds the Rust consumer, which processes exactly the items it
/// made, on a real server.
#[test]
#[ignore = "slow (needs redis-py, which .ci/run installs): cargo test --workspace -- --ignored"]
fn a_python_producer_feeds_the_rust_consumer() {
    let python = python_with_redis();
    let (_server, url) = server_for("python-producer");
    let (rust, producer) = programs("redis_producer.py");
    finished(client(&rust, &["open", "--stream", "jobs"], &url), "open");
    let args = [
        producer.as_str(),
        "--stream",
        "jobs",
        "--id",
        "7",
        "--seed",
        "3",
        "--time-scale",
        "0",
    ];
    let made = finished(client(&python, &args, &url), "the Python producer");
    assert_eq!(got(&made.replace(" added ", " got ")), expected(3, 7));
    finished(client(&rust, &["close", "--stream", "jobs"], &url), "close");
    let args = [
        "consumer",
        "--stream",
        "jobs",
        "--id",
        "0",
        "--time-scale",
        "0",
    ];
    let consumed = finished(client(&rust, &args, &url), "the Rust consumer");
    assert_eq!(
        got(&consumed),
        expected(3, 7),
        "the Rust consumer, from Python"
    );
}

/// And the other way: a Rust producer feeds a Python consumer, started
/// first, as by hand.
#[test]
#[ignore = "slow (needs redis-py, which .ci/run installs): cargo test --workspace -- --ignored"]
fn a_rust_producer_feeds_the_python_consumer() {
    let python = python_with_redis();
    let (_server, url) = server_for("python-consumer");
    let (rust, consumer) = programs("redis_consumer.py");
    finished(client(&rust, &["open", "--stream", "jobs"], &url), "open");
    let args = [
        consumer.as_str(),
        "--stream",
        "jobs",
        "--id",
        "3",
        "--time-scale",
        "0",
    ];
    let mut python_consumer = client(&python, &args, &url);
    python_consumer
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let bound = harness::testing::DEADLOCK_BOUND;
    let reading = std::thread::spawn(move || {
        harness::testing::run_within(python_consumer, "the Python consumer", bound)
    });
    let args = [
        "producer",
        "--stream",
        "jobs",
        "--id",
        "0",
        "--seed",
        "4",
        "--time-scale",
        "0",
    ];
    finished(client(&rust, &args, &url), "the Rust producer");
    finished(client(&rust, &["close", "--stream", "jobs"], &url), "close");
    let ran = reading.join().expect("the Python consumer's runner");
    assert!(
        ran.status.success(),
        "{}",
        String::from_utf8_lossy(&ran.stderr)
    );
    let consumed = String::from_utf8(ran.stdout).expect("UTF-8");
    assert_eq!(
        got(&consumed),
        expected(4, 0),
        "the Python consumer, from Rust"
    );
}
