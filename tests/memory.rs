//! Memory: with a bounded buffer, a run's peak memory does not grow with the
//! number of items; with an unbounded buffer and a consumer slower than its
//! producers, it does. Measured by counting the bytes this test process has
//! allocated, so the figures are exact and the same on every machine.

// A global allocator is the one place this workspace needs `unsafe`: it only
// forwards to the system allocator, and counts.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use common::{Config, Log};

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
/// 8 producers, one consumer that cannot keep up, nothing printed or kept.
fn peak_bytes(items_per_producer: usize, capacity: Option<usize>) -> usize {
    let _guard = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let section = many_one::SECTION;
    let mut config = Config::new(&section, 1);
    config.producers = 8;
    config.items = items_per_producer;
    config.time_scale = 0.0;
    config.capacity = capacity;
    let log = Log::discarding();
    let start = IN_USE.load(Ordering::Relaxed);
    PEAK.store(start, Ordering::Relaxed);
    common::testing::within(common::testing::DEADLOCK_BOUND, "a memory run", move || {
        many_one::run(&config, &log).expect("no thread panics");
    });
    PEAK.load(Ordering::Relaxed) - start
}

#[test]
fn a_bounded_buffer_keeps_memory_flat() {
    let small = peak_bytes(20_000, Some(64));
    let large = peak_bytes(200_000, Some(64));
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

#[test]
fn an_unbounded_buffer_grows_with_a_slow_consumer() {
    let small = peak_bytes(20_000, None);
    let large = peak_bytes(200_000, None);
    let bounded = peak_bytes(200_000, Some(64));
    eprintln!("unbounded: 160,000 items peak {small} bytes, 1,600,000 items peak {large} bytes");
    // Eight producers outrun one consumer, so items pile up in the buffer.
    assert!(
        large > 4 * small,
        "unbounded: {small} bytes, then {large} bytes"
    );
    assert!(
        large > 10 * bounded,
        "unbounded {large} bytes, bounded {bounded} bytes"
    );
}
