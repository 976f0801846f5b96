//! A consumer in a process of its own: reads items from a Redis stream in
//! a consumer group, processes each, and acknowledges it. Items another
//! consumer took and never acknowledged (it died) are claimed and
//! processed here. It stops once the stream is closed and the group has
//! nothing pending.
//!
//! ```text
//! cargo run -p redis-streams -- consumer --redis redis://127.0.0.1/ --id 0
//! ```

use std::process::{self, ExitCode};
use std::thread;
use std::time::Duration;

use crate::common::Item;
use crate::stream::{GROUP, NO_SERVER, Place, closed_key, connect, item_of, shown};
use redis::streams::{
    StreamAutoClaimOptions, StreamAutoClaimReply, StreamReadOptions, StreamReadReply,
};
use redis::{Commands, Connection, RedisResult};

/// Processes items from a Redis stream, as one consumer of a group.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The server and the stream.
    #[command(flatten)]
    place: Place,
    /// This consumer's number: it names the consumer in its lines and in
    /// the group.
    #[arg(long, default_value_t = 0)]
    id: usize,
    /// Multiplies every simulated sleep; 0 does not sleep at all.
    #[arg(long, default_value_t = 1.0)]
    time_scale: f64,
    /// Dies (as `kill -9` would, with no goodbye) when it starts its N-th
    /// item, counting from 0: to see another consumer take over.
    #[arg(long, value_name = "N")]
    crash_at: Option<usize>,
}

/// What the consumer does with one item it took.
struct Consumer {
    args: Args,
    con: Connection,
    started: usize,
}

impl Consumer {
    // ANCHOR: process
    /// Processes one entry, then acknowledges and deletes it: acknowledged,
    /// it leaves the group's pending list; deleted, the stream holds only
    /// what is still to do. Until then, if this process dies, the entry
    /// stays pending, and another consumer claims it.
    fn process(&mut self, id: &str, item: Item, reclaimed: bool) -> RedisResult<()> {
        if self.args.crash_at == Some(self.started) {
            process::abort(); // Mid-item, nothing acknowledged.
        }
        self.started += 1;
        thread::sleep(Duration::from_secs_f64(item.value * self.args.time_scale));
        let how = if reclaimed { "reclaimed" } else { "got" };
        println!(">consumer {} {how} {item}", self.args.id);
        self.con
            .xack::<_, _, _, ()>(&self.args.place.stream, GROUP, &[id])?;
        self.con.xdel::<_, _, ()>(&self.args.place.stream, &[id])
    }
    // ANCHOR_END: process

    // ANCHOR: next
    /// Takes the next new entry, waiting at most 100 ms; `None` if none
    /// came.
    fn read_new(&mut self) -> RedisResult<Option<(String, Item)>> {
        let me = format!("consumer-{}", self.args.id);
        let options = StreamReadOptions::default()
            .group(GROUP, &me)
            .count(1)
            .block(100);
        let reply: StreamReadReply =
            self.con
                .xread_options(&[&self.args.place.stream], &[">"], &options)?;
        let entry = reply.keys.into_iter().flat_map(|key| key.ids).next();
        Ok(entry.and_then(|entry| Some((entry.id.clone(), item_of(&entry.map)?))))
    }

    /// Claims one entry another consumer took and has not acknowledged for
    /// longer than any item takes: that consumer is gone.
    fn claim_abandoned(&mut self) -> RedisResult<Option<(String, Item)>> {
        let me = format!("consumer-{}", self.args.id);
        // The longest an item takes is its time scale (values are below 1).
        let idle =
            Duration::from_secs_f64(2.0 * self.args.time_scale).max(Duration::from_millis(200));
        let options = StreamAutoClaimOptions::default().count(1);
        let reply: StreamAutoClaimReply = self.con.xautoclaim_options(
            &self.args.place.stream,
            GROUP,
            &me,
            idle.as_millis() as u64,
            "0-0",
            options,
        )?;
        let entry = reply.claimed.into_iter().next();
        Ok(entry.and_then(|entry| Some((entry.id.clone(), item_of(&entry.map)?))))
    }

    /// Whether the run is over: the stream is closed (every producer is
    /// done), nothing new came since, and no consumer holds an item.
    fn finished(&mut self, closed_before_reading: bool) -> RedisResult<bool> {
        if !closed_before_reading {
            return Ok(false);
        }
        let pending: redis::streams::StreamPendingReply =
            self.con.xpending(&self.args.place.stream, GROUP)?;
        Ok(pending.count() == 0)
    }
    // ANCHOR_END: next

    // ANCHOR: run
    fn run(&mut self) -> RedisResult<()> {
        loop {
            // Look at `closed` before reading: if it was set then, every
            // item was added before this read, and a read that finds
            // nothing new means there is nothing new.
            let closed: bool = self.con.exists(closed_key(&self.args.place.stream))?;
            if let Some((id, item)) = self.read_new()? {
                self.process(&id, item, false)?;
            } else if let Some((id, item)) = self.claim_abandoned()? {
                self.process(&id, item, true)?;
            } else if self.finished(closed)? {
                return Ok(());
            }
        }
    }
    // ANCHOR_END: run
}

/// Runs one consumer with `args`; the exit code says how it ended.
pub fn main(args: Args) -> ExitCode {
    let con = match connect(&args.place.redis) {
        Ok(con) => con,
        Err(error) => {
            eprintln!(
                "redis-streams consumer: error: cannot reach Redis at {}: {error}",
                shown(&args.place.redis)
            );
            return ExitCode::from(NO_SERVER);
        }
    };
    let me = format!("Consumer {}", args.id);
    println!("{me}: Running");
    let url = shown(&args.place.redis);
    let mut consumer = Consumer {
        args,
        con,
        started: 0,
    };
    if let Err(error) = consumer.run() {
        eprintln!("redis-streams consumer: error: lost Redis at {url}: {error}");
        return ExitCode::from(NO_SERVER);
    }
    println!("{me}: Done");
    ExitCode::SUCCESS
}
