//! A consumer in a process of its own: reads items from a Redis stream in
//! a consumer group, processes each, and acknowledges it. Items another
//! consumer took and never acknowledged (it died, or was paused too long)
//! are claimed and processed here; an entry that cannot be processed goes
//! to the dead-letter stream. It stops once the stream is closed and the
//! group has nothing pending.
//!
//! ```text
//! REDIS_URL=redis://127.0.0.1/ cargo run -p redis-streams -- consumer --id 0
//! ```

use std::process;
use std::thread;
use std::time::Duration;

use crate::common::Item;
use crate::connection::{Error, Redis};
use crate::flags::{Place, batch, deliveries, millis, time_scale};
use crate::stream::{ACK, DEAD_LETTER, Entry, GROUP, Keys, entries_in, item_of};
use redis::streams::{
    StreamAutoClaimOptions, StreamPendingCountReply, StreamPendingReply, StreamReadOptions,
};
use redis::{Commands, Value};

/// Processes items from a Redis stream, as one consumer of a group.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The server and the stream.
    #[command(flatten)]
    pub place: Place,
    /// This consumer's number: it names the consumer in its lines and in
    /// the group.
    #[arg(long, default_value_t = 0)]
    pub id: usize,
    /// Multiplies every simulated sleep (0 to 1000); 0 does not sleep.
    #[arg(long, default_value_t = 1.0, value_parser = time_scale, allow_negative_numbers = true)]
    pub time_scale: f64,
    /// How many entries to read in one round trip, and acknowledge in one.
    #[arg(long, default_value_t = 1, value_name = "N", value_parser = batch)]
    pub batch: usize,
    /// Claims an entry that another consumer has held this long without
    /// acknowledging it, in milliseconds [default: twice the longest a
    /// batch can take, at least 200].
    #[arg(long, value_name = "MS", value_parser = millis)]
    pub claim_after: Option<u64>,
    /// Moves an entry to the dead-letter stream once it has been delivered
    /// more than N times and never acknowledged.
    #[arg(long, default_value_t = 3, value_name = "N", value_parser = deliveries)]
    pub max_deliveries: usize,
    /// Dies (as `kill -9` would, with no goodbye) when it starts its N-th
    /// item, counting from 0: to see another consumer take over.
    #[arg(long, value_name = "N")]
    pub crash_at: Option<usize>,
}

/// How an entry came to this consumer.
#[derive(Clone, Copy, PartialEq)]
enum How {
    /// Read new from the stream.
    New,
    /// Claimed from a consumer that held it too long.
    Claimed,
    /// Read back from this consumer's own pending entries after a lost
    /// connection: the lost answer delivered it, to a read or to a claim,
    /// so it may be older than items this consumer has already processed.
    Again,
}

/// One consumer, its connection, and what it has done.
struct Consumer<'a> {
    args: &'a Args,
    redis: Redis,
    keys: Keys,
    /// Its name in the group.
    name: String,
    started: usize,
    /// How many times the connection had been made anew when this
    /// consumer last looked: after a new one, it reads its own pending
    /// entries first, as the answer that delivered them may have been lost.
    reconnects: usize,
    dead_letters: usize,
}

impl Consumer<'_> {
    // ANCHOR: run
    fn run(&mut self) -> Result<(), Error> {
        loop {
            // Look at `closed` before reading: if it was set then, every
            // item was added before this read, and a read that finds
            // nothing new means there is nothing new.
            let closed: bool = self.redis.call(|con| con.exists(&self.keys.closed))?;
            let mut taken = self.read()?;
            if taken.is_empty() {
                taken = self.claim()?;
            }
            if !taken.is_empty() {
                self.process(taken)?;
            } else if closed && self.nothing_pending()? {
                return Ok(());
            }
        }
    }
    // ANCHOR_END: run

    // ANCHOR: read
    /// Takes up to a batch of new entries, waiting at most 100 ms for one.
    fn read(&mut self) -> Result<Vec<(Entry, How)>, Error> {
        // After a new connection, what was delivered to this consumer but
        // never seen ("0": its own pending entries) comes first.
        let (from, how) = if self.redis.reconnects > self.reconnects {
            ("0", How::Again)
        } else {
            (">", How::New)
        };
        let options = StreamReadOptions::default()
            .group(GROUP, &self.name)
            .count(self.args.batch)
            .block(100);
        let stream = &self.keys.stream;
        // Read as bytes: another client may have written anything.
        let reply: Value = self
            .redis
            .call(|con| con.xread_options(&[stream], &[from], &options))?;
        let entries = entries_in(&reply);
        if from == "0" && entries.is_empty() {
            self.reconnects = self.redis.reconnects;
        }
        Ok(entries.into_iter().map(|entry| (entry, how)).collect())
    }

    /// Claims up to a batch of entries that other consumers have held for
    /// longer than any batch takes: each died, or was paused, or lost its
    /// connection.
    fn claim(&mut self) -> Result<Vec<(Entry, How)>, Error> {
        let longest = self.args.batch as f64 * self.args.time_scale;
        let idle = self
            .args
            .claim_after
            .unwrap_or((2_000.0 * longest).max(200.0) as u64);
        let (stream, name, count) = (&self.keys.stream, &self.name, self.args.batch);
        let reply: Value = self.redis.call(|con| {
            let options = StreamAutoClaimOptions::default().count(count);
            con.xautoclaim_options(stream, GROUP, name, idle, "0-0", options)
        })?;
        Ok(entries_in(&reply)
            .into_iter()
            .map(|entry| (entry, How::Claimed))
            .collect())
    }

    /// Whether no consumer of the group holds an entry.
    fn nothing_pending(&mut self) -> Result<bool, Error> {
        let stream = &self.keys.stream;
        let pending: StreamPendingReply = self.redis.call(|con| con.xpending(stream, GROUP))?;
        Ok(pending.count() == 0)
    }
    // ANCHOR_END: read

    // ANCHOR: process
    /// Processes the entries taken, then acknowledges them in one round
    /// trip, and prints a line for each, saying whether another consumer
    /// claimed it meanwhile (this one was paused too long): then it was
    /// processed twice.
    fn process(&mut self, taken: Vec<(Entry, How)>) -> Result<(), Error> {
        let mut done: Vec<(String, Item, How)> = Vec::new();
        for (entry, how) in taken {
            let Some(item) = self.processable(&entry, how)? else {
                continue;
            };
            if self.args.crash_at == Some(self.started) {
                process::abort(); // Mid-item, nothing acknowledged.
            }
            self.started += 1;
            thread::sleep(Duration::from_secs_f64(item.value * self.args.time_scale));
            done.push((entry.id, item, how));
        }
        if done.is_empty() {
            return Ok(());
        }
        let before = self.redis.reconnects;
        let answers = self.acknowledge(&done)?;
        let me = self.args.id;
        for ((_, item, how), answer) in done.iter().zip(answers) {
            // Gone after a lost answer: it was this consumer's own
            // acknowledgement that went through.
            let mine = answer == 1 || (answer == -1 && self.redis.reconnects > before);
            match (mine, how) {
                (true, How::New) => println!(">consumer {me} got {item}"),
                (true, How::Claimed | How::Again) => println!(">consumer {me} reclaimed {item}"),
                (false, _) => println!(">consumer {me} duplicated {item}"),
            }
        }
        Ok(())
    }

    /// Acknowledges and deletes the entries `done`, in one round trip;
    /// for each: 1 done, 0 or -1 claimed by another meanwhile.
    fn acknowledge(&mut self, done: &[(String, Item, How)]) -> Result<Vec<i64>, Error> {
        let script = redis::Script::new(ACK);
        let mut call = script.key(&self.keys.stream);
        call.key(&self.keys.acked).arg(GROUP).arg(&self.name);
        for (id, _, _) in done {
            call.arg(id);
        }
        self.redis.call(|con| call.invoke(con))
    }
    // ANCHOR_END: process

    // ANCHOR: poison
    /// The entry's item, or `None` once the entry went to the dead-letter
    /// stream: it holds no item, or it has been delivered too many times
    /// and never acknowledged (each consumer that took it died).
    fn processable(&mut self, entry: &Entry, how: How) -> Result<Option<Item>, Error> {
        let reason = match item_of(entry) {
            None if entry.fields.iter().any(|(n, v)| {
                std::str::from_utf8(n).is_err() || std::str::from_utf8(v).is_err()
            }) =>
            {
                "not an item (a field that is not UTF-8 text)".to_string()
            }
            None => "not an item".to_string(),
            Some(item) if how != How::Claimed => return Ok(Some(item)),
            Some(item) => match self.deliveries(&entry.id)? {
                n if n > self.args.max_deliveries => {
                    format!("delivered {n} times, never acknowledged")
                }
                _ => return Ok(Some(item)),
            },
        };
        let script = redis::Script::new(DEAD_LETTER);
        let mut call = script.key(&self.keys.stream);
        call.key(&self.keys.dead)
            .arg(GROUP)
            .arg(&entry.id)
            .arg(&reason);
        for (field, value) in &entry.fields {
            call.arg(field).arg(value);
        }
        let moved: i64 = self.redis.call(|con| call.invoke(con))?;
        if moved == 1 {
            self.dead_letters += 1;
            crate::eprint_line(&format!(
                "redis-streams consumer {}: entry {} moved to {}: {reason}",
                self.args.id, entry.id, self.keys.dead
            ));
        }
        Ok(None)
    }

    /// How many times entry `id` has been delivered.
    fn deliveries(&mut self, id: &str) -> Result<usize, Error> {
        let stream = &self.keys.stream;
        let reply: StreamPendingCountReply = self
            .redis
            .call(|con| con.xpending_count(stream, GROUP, id, id, 1))?;
        Ok(reply.ids.first().map_or(0, |entry| entry.times_delivered))
    }
    // ANCHOR_END: poison
}

// ANCHOR: main
/// Runs one consumer with `args`, and says how many entries it moved to
/// the dead-letter stream.
pub fn main(args: &Args) -> Result<usize, Error> {
    let mut redis = args.place.connect()?;
    let keys = Keys::of(&args.place.stream);
    crate::session::check_rights(&mut redis, &keys)?;
    crate::session::check(&mut redis, &keys, true)?;
    println!("Consumer {}: Running", args.id);
    let mut consumer = Consumer {
        args,
        reconnects: redis.reconnects,
        redis,
        keys,
        name: format!("consumer-{}", args.id),
        started: 0,
        dead_letters: 0,
    };
    consumer.run()?;
    println!("Consumer {}: Done", args.id);
    Ok(consumer.dead_letters)
}
// ANCHOR_END: main
