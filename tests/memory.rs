//! Memory: with a bounded buffer, a run's peak memory does not grow with the
//! number of items; with an unbounded buffer and a consumer slower than its
//! producers, it does. Measured by counting the bytes this test process has
//! allocated, so the figures are exact and the same on every machine; and,
//! for a real program, by the kernel's account of its peak resident memory.

// A global allocator is the one place this workspace needs `unsafe`: it only
// forwards to the system allocator, and counts.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use harness::{Config, Log};

/// The system allocator, counting the bytes in use and their peak.
struct Counting;

static IN_USE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded unchanged to the system allocator.
        let pointer = unsafe { System.alloc(layout) };
        if !pointer.is_null() {
            let now = IN_USE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        pointer
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        IN_USE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.dealloc(pointer, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// One measurement at a time: the counters are global.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// Peak bytes allocated above the starting point during a `many-one` run:
/// 8 producers, one consumer, nothing printed or kept.
fn peak_bytes(items_per_producer: usize, capacity: Option<usize>, time_scale: f64) -> usize {
    let _guard = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let section = many_one::SECTION;
    let mut config = Config::new(&section, 1);
    config.producers = 8;
    config.items = items_per_producer;
    config.time_scale = time_scale;
    config.capacity = capacity;
    let log = Log::discarding();
    let start = IN_USE.load(Ordering::Relaxed);
    PEAK.store(start, Ordering::Relaxed);
    harness::testing::within(
        harness::testing::DEADLOCK_BOUND,
        "a memory run",
        move || {
            many_one::run(&config, &log).expect("no thread panics");
        },
    );
    PEAK.load(Ordering::Relaxed) - start
}

#[test]
fn a_bounded_buffer_keeps_memory_flat() {
    // However fast or slow each side is: the buffer never holds more than
    // its 64 messages, so no sleep is needed to make this hold.
    let small = peak_bytes(20_000, Some(64), 0.0);
    let large = peak_bytes(200_000, Some(64), 0.0);
    eprintln!(
        "bounded (64 slots): 160,000 items peak {small} bytes, 1,600,000 items peak {large} bytes"
    );
    // Ten times the items, and at most a few kilobytes more: the buffer
    // holds 64 messages whatever the run's length.
    assert!(
        large < small + 64 * 1024,
        "bounded: {small} bytes, then {large} bytes"
    );
}

/// Items of a quarter of a millisecond on average, for producers and the
/// consumer alike: the eight producers sleep side by side, the consumer
/// sleeps once per item of all eight, so it is about eight times slower
/// by construction, however busy the machine.
const SLOW_CONSUMER: f64 = 0.0005;

#[test]
fn an_unbounded_buffer_grows_with_a_slow_consumer() {
    let small = peak_bytes(40, None, SLOW_CONSUMER);
    let large = peak_bytes(400, None, SLOW_CONSUMER);
    let bounded = peak_bytes(400, Some(64), SLOW_CONSUMER);
    eprintln!(
        "unbounded: 320 items peak {small} bytes, 3,200 items peak {large} bytes; \
         bounded: 3,200 items peak {bounded} bytes"
    );
    // When the producers are done, about seven items in eight still wait:
    // ten times the items, about ten times the memory above a bounded run.
    assert!(
        large - bounded > 4 * (small - bounded),
        "unbounded: {small} bytes, then {large} bytes (bounded: {bounded} bytes)"
    );
    assert!(
        large > 10 * bounded,
        "unbounded {large} bytes, bounded {bounded} bytes"
    );
}

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
        let waited = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage) };
        if waited == pid {
            assert!(
                libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
                "{exe} {args:?} failed: status {status}"
            );
            return usage.ru_maxrss;
        }
        assert_eq!(waited, 0, "wait4 failed");
        if started.elapsed() > harness::testing::DEADLOCK_BOUND {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{exe} {args:?} did not finish: a deadlock?");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
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
