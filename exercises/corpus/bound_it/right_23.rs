//! Right: a hand-made buffer, a `Mutex<VecDeque>` with a `Condvar`: `send` waits while N items wait (at N = 0 it also waits until its item is taken, a rendezvous), and RAII ends tell each side when the other is gone.
//!
//! Exercise `bound_it`: a bounded buffer between a fast producer and a slow consumer.

use std::thread;
use std::time::Duration;

use common::{Item, Message, Program, Settings};

const PROGRAM: Program = Program {
    name: "bound_it",
    about: "Exercise: a bounded buffer between a fast producer and a slow consumer",
    producers: 1,
    consumers: 1,
    items: 10,
};

/// What the consumer spends on each item, beyond its simulated effort:
/// it writes each one to a slow disk, say.
const SLOW: Duration = Duration::from_millis(2);
use std::collections::VecDeque;
use std::sync::{Condvar, Mutex, MutexGuard};

/// What the buffer holds, and who is still there.
struct State {
    messages: VecDeque<Message>,
    /// How many messages were ever put in, and taken out.
    put: u64,
    taken: u64,
    producer_gone: bool,
    consumer_gone: bool,
}

/// A buffer of at most `capacity` waiting messages (unbounded if `None`;
/// at 0 each message is handed over: `send` returns once it is taken).
struct Buffer {
    state: Mutex<State>,
    changed: Condvar,
    capacity: Option<usize>,
}

impl Buffer {
    fn new(capacity: Option<usize>) -> Buffer {
        Buffer {
            state: Mutex::new(State {
                messages: VecDeque::new(),
                put: 0,
                taken: 0,
                producer_gone: false,
                consumer_gone: false,
            }),
            changed: Condvar::new(),
            capacity,
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn wait_while<'a>(
        &self,
        state: MutexGuard<'a, State>,
        condition: impl FnMut(&mut State) -> bool,
    ) -> MutexGuard<'a, State> {
        self.changed
            .wait_while(state, condition)
            .unwrap_or_else(|e| e.into_inner())
    }
}

/// The producer's end; dropping it tells the consumer no more will come.
struct Outlet<'a>(&'a Buffer);

impl Outlet<'_> {
    fn send(&self, message: Message) -> Result<(), Message> {
        let buffer = self.0;
        let mut state = buffer.lock();
        if let Some(capacity) = buffer.capacity {
            // A rendezvous still passes its message through one slot.
            let room = capacity.max(1);
            state = buffer.wait_while(state, |s| !s.consumer_gone && s.messages.len() >= room);
        }
        if state.consumer_gone {
            return Err(message);
        }
        state.messages.push_back(message);
        let ticket = state.put;
        state.put += 1;
        buffer.changed.notify_all();
        if buffer.capacity == Some(0) {
            state = buffer.wait_while(state, |s| !s.consumer_gone && s.taken <= ticket);
            if state.taken <= ticket {
                return Err(message);
            }
        }
        Ok(())
    }
}

impl Drop for Outlet<'_> {
    fn drop(&mut self) {
        self.0.lock().producer_gone = true;
        self.0.changed.notify_all();
    }
}

/// The consumer's end; dropping it (a panic too) tells the producer.
struct Inlet<'a>(&'a Buffer);

impl Inlet<'_> {
    /// The next message; `None` once the producer is gone and nothing is left.
    fn recv(&self) -> Option<Message> {
        let buffer = self.0;
        let state = buffer.lock();
        let mut state = buffer.wait_while(state, |s| s.messages.is_empty() && !s.producer_gone);
        let message = state.messages.pop_front()?;
        state.taken += 1;
        buffer.changed.notify_all();
        Some(message)
    }
}

impl Drop for Inlet<'_> {
    fn drop(&mut self) {
        self.0.lock().consumer_gone = true;
        self.0.changed.notify_all();
    }
}

fn producer(queue: Outlet<'_>, settings: &Settings) {
    println!("Producer: Running");
    let mut rng = settings.rng(0);
    for i in 0..settings.items {
        let item = Item {
            i,
            value: rng.random(),
        };
        thread::sleep(settings.effort("Producer", item));
        if queue.send(Message::Item(item)).is_err() {
            break; // The consumer is gone.
        }
        println!(">producer added {item}");
    }
    let _ = queue.send(Message::Sentinel);
    println!("Producer: Done");
}

fn consumer(queue: Inlet<'_>, settings: &Settings) {
    println!("Consumer: Running");
    while let Some(Message::Item(item)) = queue.recv() {
        thread::sleep(settings.effort("Consumer", item));
        thread::sleep(SLOW);
        println!(">consumer got {item}");
    }
    println!("Consumer: Done");
}

fn main() {
    let settings = Settings::from_command_line(&PROGRAM);
    let buffer = Buffer::new(settings.capacity);
    thread::scope(|scope| {
        scope.spawn(|| consumer(Inlet(&buffer), &settings));
        scope.spawn(|| producer(Outlet(&buffer), &settings));
    });
}
