//! Memory, read from the kernel's account of each real program's peak
//! resident memory when it ends: with a bounded buffer, a run's memory does
//! not grow with the number of items; with an unbounded buffer and a
//! consumer slower than its producers, it does.

// `wait4`, which reports a child's peak memory, is a C call: the one place
// this workspace needs `unsafe`.
#![allow(unsafe_code)]

use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use harness::programs::program_path;

/// The peak resident memory of the real program `exe` run with `args`, in
/// KiB, as the kernel accounts for it when the program ends (`wait4`).
// `wait4` reaps the child, which std's `Child` cannot see.
#[allow(clippy::zombie_processes)]
fn peak_resident_kib(exe: &str, args: &[&str]) -> i64 {
    let mut child = Command::new(exe)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the program starts");
    let pid = libc::pid_t::try_from(child.id()).expect("a pid");
    let started = Instant::now();
    loop {
        let mut status = 0;
        // SAFETY: plain C structs, zeroed, that `wait4` fills in.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        // SAFETY: waits for our own child, writing only to the two locals.
        let waited = unsafe { libc::wait4(pid, &raw mut status, libc::WNOHANG, &raw mut usage) };
        if waited == pid {
            assert!(
                libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
                "{exe} {args:?} failed: status {status}"
            );
            return usage.ru_maxrss;
        }
        assert_eq!(waited, 0, "wait4 failed");
        // These runs move up to 1.6 million items, which on a busy machine
        // takes longer than most runs: the hang bound is four times the
        // usual one.
        if started.elapsed() > harness::testing::DEADLOCK_BOUND * 4 {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{exe} {args:?} did not finish: a deadlock?");
        }
        thread::sleep(Duration::from_millis(10));
    }
}

/// The peak memory, in KiB, of a `many-one` run with eight producers of
/// `items` items each, one consumer and `capacity` (`unbounded` for none).
fn many_one_kib(items: &str, capacity: &str, time_scale: &str) -> i64 {
    let exe = program_path("many-one");
    let exe = exe.to_str().expect("a UTF-8 path");
    let mut args = vec!["--seed", "1", "--producers", "8", "--items", items];
    args.extend(["--time-scale", time_scale]);
    if capacity != "unbounded" {
        args.extend(["--capacity", capacity]);
    }
    peak_resident_kib(exe, &args)
}

#[test]
fn a_bounded_buffer_keeps_memory_flat() {
    // Whatever the speeds, the buffer never holds more than its 64
    // messages, so no sleep is needed for this to hold.
    let small = many_one_kib("20000", "64", "0");
    let large = many_one_kib("200000", "64", "0");
    eprintln!(
        "bounded (64 slots): 160,000 items peak {small} KiB, 1,600,000 items peak {large} KiB"
    );
    assert!(
        large < small + 2 * 1024,
        "bounded: {small} KiB, then {large} KiB"
    );
}

/// Items of about 20 microseconds, for producers and the consumer alike,
/// each a sleep that costs a wake-up: the eight producers sleep side by
/// side, the consumer once per item of all eight, so it is about eight
/// times slower by construction, however busy the machine.
const SLOW_CONSUMER: &str = "4e-5";

#[test]
fn an_unbounded_buffer_grows_with_a_slow_consumer() {
    let unbounded = thread::spawn(|| many_one_kib("10000", "unbounded", SLOW_CONSUMER));
    let bounded = many_one_kib("10000", "64", SLOW_CONSUMER);
    let unbounded = unbounded.join().expect("no panic");
    eprintln!("80,000 items, slow consumer: unbounded peak {unbounded} KiB, bounded {bounded} KiB");
    // When the producers are done, about 70,000 messages of 24 bytes still
    // wait in the unbounded buffer: well over a megabyte.
    assert!(
        unbounded > bounded + 1024,
        "unbounded {unbounded} KiB, bounded {bounded} KiB"
    );
}

#[test]
fn the_backpressure_report_keeps_memory_flat() {
    // The report counts as it goes (the producer's time in `send`, the
    // most items waiting): ten times the items, the same memory. (Both runs
    // are longer than the 100,000 items for which a program keeps its
    // events, to name the items a panic left unprocessed.)
    let exe = harness::testing::example_path("backpressure");
    let run = |items: &str| {
        let args = ["--seed", "1", "--time-scale", "0", "--capacity", "100"];
        peak_resident_kib(&exe, &[&args[..], &["--items", items]].concat())
    };
    let small = run("200000");
    let large = run("2000000");
    eprintln!("backpressure: 200,000 items peak {small} KiB, 2,000,000 items peak {large} KiB");
    assert!(
        large < small + 8 * 1024,
        "200,000 items: {small} KiB; 2,000,000 items: {large} KiB"
    );
}
