//! Moving `u64` messages between threads, through each channel, in each
//! topology and at each capacity; and batches through flume against a
//! lock-free ring buffer.
//!
//! ```text
//! cargo bench --bench channels            # everything (a few minutes)
//! cargo bench --bench channels -- p1c1    # one topology
//! ```
//!
//! Each measurement spawns the threads first and lines them up at a barrier;
//! the clock starts when they are released and stops when every consumer
//! has received its last message. `cargo xtask perf-report` turns the
//! results into the book's Performance chapter.

use std::sync::{Arc, Barrier, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

/// Message that tells a consumer to stop (never sent as data).
const STOP: u64 = u64::MAX;

/// A channel as the benchmark sees it: make one, send, receive.
trait Channel {
    /// The name in reports.
    const NAME: &'static str;
    /// The sending half; one clone per producer.
    type Tx: Clone + Send + 'static;
    /// The receiving half; one clone per consumer.
    type Rx: Clone + Send + 'static;
    /// A channel with `capacity` slots (`None`: unbounded), or `None` if
    /// this channel cannot have that capacity.
    fn make(capacity: Option<usize>) -> Option<(Self::Tx, Self::Rx)>;
    /// Sends, waiting while the channel is full.
    fn send(tx: &Self::Tx, message: u64);
    /// Receives, waiting while the channel is empty.
    fn recv(rx: &Self::Rx) -> u64;
}

struct Flume;
impl Channel for Flume {
    const NAME: &'static str = "flume";
    type Tx = flume::Sender<u64>;
    type Rx = flume::Receiver<u64>;
    fn make(capacity: Option<usize>) -> Option<(Self::Tx, Self::Rx)> {
        Some(capacity.map_or_else(flume::unbounded, flume::bounded))
    }
    fn send(tx: &Self::Tx, message: u64) {
        tx.send(message).expect("a receiver is alive");
    }
    fn recv(rx: &Self::Rx) -> u64 {
        rx.recv().expect("a sender is alive")
    }
}

struct Crossbeam;
impl Channel for Crossbeam {
    const NAME: &'static str = "crossbeam-channel";
    type Tx = crossbeam_channel::Sender<u64>;
    type Rx = crossbeam_channel::Receiver<u64>;
    fn make(capacity: Option<usize>) -> Option<(Self::Tx, Self::Rx)> {
        Some(capacity.map_or_else(crossbeam_channel::unbounded, crossbeam_channel::bounded))
    }
    fn send(tx: &Self::Tx, message: u64) {
        tx.send(message).expect("a receiver is alive");
    }
    fn recv(rx: &Self::Rx) -> u64 {
        rx.recv().expect("a sender is alive")
    }
}

struct Kanal;
impl Channel for Kanal {
    const NAME: &'static str = "kanal";
    type Tx = kanal::Sender<u64>;
    type Rx = kanal::Receiver<u64>;
    fn make(capacity: Option<usize>) -> Option<(Self::Tx, Self::Rx)> {
        Some(capacity.map_or_else(kanal::unbounded, kanal::bounded))
    }
    fn send(tx: &Self::Tx, message: u64) {
        tx.send(message).expect("a receiver is alive");
    }
    fn recv(rx: &Self::Rx) -> u64 {
        rx.recv().expect("a sender is alive")
    }
}

/// `std::sync::mpsc` has one receiver; with several consumers they share it
/// behind a `Mutex`, the usual way to hand out work from it.
struct StdMpsc;
#[derive(Clone)]
enum StdSender {
    Unbounded(std::sync::mpsc::Sender<u64>),
    Bounded(std::sync::mpsc::SyncSender<u64>),
}
impl Channel for StdMpsc {
    const NAME: &'static str = "std mpsc";
    type Tx = StdSender;
    type Rx = Arc<Mutex<std::sync::mpsc::Receiver<u64>>>;
    fn make(capacity: Option<usize>) -> Option<(Self::Tx, Self::Rx)> {
        let (tx, rx) = match capacity {
            None => {
                let (tx, rx) = std::sync::mpsc::channel();
                (StdSender::Unbounded(tx), rx)
            }
            Some(slots) => {
                let (tx, rx) = std::sync::mpsc::sync_channel(slots);
                (StdSender::Bounded(tx), rx)
            }
        };
        Some((tx, Arc::new(Mutex::new(rx))))
    }
    fn send(tx: &Self::Tx, message: u64) {
        match tx {
            StdSender::Unbounded(tx) => tx.send(message),
            StdSender::Bounded(tx) => tx.send(message),
        }
        .expect("a receiver is alive");
    }
    fn recv(rx: &Self::Rx) -> u64 {
        rx.lock()
            .expect("no consumer panicked")
            .recv()
            .expect("a sender is alive")
    }
}

/// The hand-written `Mutex` + `Condvar` queue: Python's `queue.Queue` in
/// Rust. It has no capacity 0 (a `maxsize` of 0 means unbounded).
struct CondvarQueue;
impl Channel for CondvarQueue {
    const NAME: &'static str = "Mutex+Condvar queue";
    type Tx = Arc<mutex_queue::Queue<u64>>;
    type Rx = Arc<mutex_queue::Queue<u64>>;
    fn make(capacity: Option<usize>) -> Option<(Self::Tx, Self::Rx)> {
        let queue = Arc::new(match capacity {
            Some(0) => return None,
            Some(slots) => mutex_queue::Queue::new(slots),
            None => mutex_queue::Queue::new(0),
        });
        Some((Arc::clone(&queue), queue))
    }
    fn send(tx: &Self::Tx, message: u64) {
        tx.put(message);
    }
    fn recv(rx: &Self::Rx) -> u64 {
        rx.get()
    }
}

// ANCHOR: transfer
/// Sends about `messages` messages (a whole number per producer, at least
/// one) from `producers` threads to `consumers` threads; returns the time
/// from the threads' release to the last message received, per message,
/// times `messages`. Each consumer stops at a `STOP` message, sent after all
/// the data.
fn transfer<C: Channel>(
    producers: usize,
    consumers: usize,
    capacity: Option<usize>,
    messages: u64,
) -> Duration {
    let (tx, rx) = C::make(capacity).expect("a supported capacity");
    let start = Arc::new(Barrier::new(producers + consumers + 1));
    let per_producer = (messages / producers as u64).max(1);
    let producer_threads: Vec<_> = (0..producers)
        .map(|_| {
            let (tx, start) = (tx.clone(), Arc::clone(&start));
            thread::spawn(move || {
                start.wait();
                for n in 0..per_producer {
                    C::send(&tx, n);
                }
            })
        })
        .collect();
    let consumer_threads: Vec<_> = (0..consumers)
        .map(|_| {
            let (rx, start) = (rx.clone(), Arc::clone(&start));
            thread::spawn(move || {
                start.wait();
                let mut received = 0u64;
                while C::recv(&rx) != STOP {
                    received += 1;
                }
                received
            })
        })
        .collect();
    start.wait();
    let clock = Instant::now();
    for producer in producer_threads {
        producer.join().expect("a producer panicked");
    }
    for _ in 0..consumers {
        C::send(&tx, STOP);
    }
    let received: u64 = consumer_threads
        .into_iter()
        .map(|consumer| consumer.join().expect("a consumer panicked"))
        .sum();
    let elapsed = clock.elapsed();
    assert_eq!(
        received,
        per_producer * producers as u64,
        "a message was lost"
    );
    elapsed.mul_f64(messages as f64 / received as f64)
}
// ANCHOR_END: transfer

/// The topologies: (producers, consumers). 4/4 runs more threads than a
/// 2-core machine has cores: it measures the cost of oversubscription.
const TOPOLOGIES: [(usize, usize); 5] = [(1, 1), (2, 1), (1, 2), (2, 2), (4, 4)];
const CAPACITIES: [Option<usize>; 5] = [Some(0), Some(1), Some(64), Some(1024), None];

fn capacity_name(capacity: Option<usize>) -> String {
    capacity.map_or("unbounded".to_string(), |slots| slots.to_string())
}

fn bench_channel<C: Channel>(c: &mut Criterion) {
    for (producers, consumers) in TOPOLOGIES {
        let mut group = c.benchmark_group(format!("p{producers}c{consumers}"));
        group.throughput(Throughput::Elements(1));
        for capacity in CAPACITIES {
            if C::make(capacity).is_none() {
                continue;
            }
            let id = BenchmarkId::new(C::NAME, capacity_name(capacity));
            group.bench_function(id, |b| {
                // One criterion iteration is one message (at least one per
                // producer, so every producer sends something).
                b.iter_custom(|iters| transfer::<C>(producers, consumers, capacity, iters));
            });
        }
        group.finish();
    }
}

/// About `numbers` numbers in batches of `batch` (whole batches, at least
/// one) through a flume channel of 64 slots, one producer and one consumer;
/// returns the time per number, times `numbers`.
fn flume_batches(batch: usize, numbers: u64) -> Duration {
    let (tx, rx) = flume::bounded::<Vec<u64>>(64);
    let start = Arc::new(Barrier::new(3));
    let batches = numbers.div_ceil(batch as u64).max(1);
    let producer = {
        let start = Arc::clone(&start);
        thread::spawn(move || {
            start.wait();
            for b in 0..batches {
                let first = b * batch as u64;
                tx.send((first..first + batch as u64).collect())
                    .expect("a receiver");
            }
        })
    };
    let consumer = {
        let start = Arc::clone(&start);
        thread::spawn(move || {
            start.wait();
            // Read every number, as the ring buffer's consumer does.
            let (mut count, mut total) = (0u64, 0u64);
            for batch in &rx {
                count += batch.len() as u64;
                total = batch.iter().fold(total, |sum, &n| sum.wrapping_add(n));
            }
            std::hint::black_box(total);
            count
        })
    };
    start.wait();
    let clock = Instant::now();
    producer.join().expect("the producer panicked");
    let received = consumer.join().expect("the consumer panicked");
    let elapsed = clock.elapsed();
    assert_eq!(received, batches * batch as u64);
    elapsed.mul_f64(numbers as f64 / received as f64)
}

/// Numbers one at a time through a lock-free single-producer,
/// single-consumer ring buffer: the practical floor. Each side spins when
/// the ring is full or empty, as a ring buffer's users do.
fn ring_buffer(numbers: u64) -> Duration {
    let (mut tx, mut rx) = rtrb::RingBuffer::<u64>::new(1024);
    let start = Arc::new(Barrier::new(3));
    let producer = {
        let start = Arc::clone(&start);
        thread::spawn(move || {
            start.wait();
            for n in 0..numbers {
                while tx.push(n).is_err() {
                    std::hint::spin_loop();
                }
            }
        })
    };
    let consumer = {
        let start = Arc::clone(&start);
        thread::spawn(move || {
            start.wait();
            let (mut received, mut total) = (0, 0u64);
            while received < numbers {
                match rx.pop() {
                    Ok(n) => {
                        received += 1;
                        total = total.wrapping_add(n);
                    }
                    Err(_) => std::hint::spin_loop(),
                }
            }
            std::hint::black_box(total);
            received
        })
    };
    start.wait();
    let clock = Instant::now();
    producer.join().expect("the producer panicked");
    let received = consumer.join().expect("the consumer panicked");
    let elapsed = clock.elapsed();
    assert_eq!(received, numbers);
    elapsed
}

fn bench_batching(c: &mut Criterion) {
    let mut group = c.benchmark_group("batching");
    group.throughput(Throughput::Elements(1));
    for batch in [16, 256, 4096] {
        group.bench_function(BenchmarkId::new("flume Vec batches", batch), |b| {
            b.iter_custom(|iters| flume_batches(batch, iters));
        });
    }
    group.bench_function(BenchmarkId::new("rtrb ring buffer", 1), |b| {
        b.iter_custom(ring_buffer);
    });
    group.finish();
}

fn channels(c: &mut Criterion) {
    bench_channel::<Flume>(c);
    bench_channel::<StdMpsc>(c);
    bench_channel::<Crossbeam>(c);
    bench_channel::<Kanal>(c);
    bench_channel::<CondvarQueue>(c);
}

fn config() -> Criterion {
    // Short runs: the whole suite must fit in a few minutes on two cores.
    Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1))
}

criterion_group! {
    name = benches;
    config = config();
    targets = channels, bench_batching
}
criterion_main!(benches);
