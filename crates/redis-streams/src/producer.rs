//! A producer in a process of its own: makes its items and adds them to a
//! Redis stream. Run several at once, in separate terminals or on separate
//! machines, pointed at the same server and stream.
//!
//! ```text
//! REDIS_URL=redis://127.0.0.1/ cargo run -p redis-streams -- producer --id 0
//! ```

use std::thread;
use std::time::Duration;

use crate::common::{Item, producer_rng};
use crate::connection::{Error, Redis};
use crate::flags::{Place, batch, items, positive, time_scale};
use crate::stream::{ADD, Keys};

/// Adds items to a Redis stream.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The server and the stream.
    #[command(flatten)]
    pub place: Place,
    /// This producer's number: it names the producer and picks its items.
    #[arg(long, default_value_t = 0)]
    pub id: usize,
    /// How many items to make (up to 1,000,000,000).
    #[arg(long, default_value_t = 10, value_parser = items, allow_negative_numbers = true)]
    pub items: usize,
    /// Makes the items reproducible: the same seed gives the same items.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Multiplies every simulated sleep (0 to 1000); 0 does not sleep.
    #[arg(long, default_value_t = 1.0, value_parser = time_scale, allow_negative_numbers = true)]
    pub time_scale: f64,
    /// Waits while the stream holds N unprocessed items: a real bound,
    /// unlike --maxlen.
    #[arg(long, value_name = "N", value_parser = positive)]
    pub capacity: Option<usize>,
    /// Trims the stream to about N entries as it adds (XADD MAXLEN ~ N):
    /// it drops the oldest, processed or not.
    #[arg(long, value_name = "N", conflicts_with = "capacity", value_parser = positive)]
    pub maxlen: Option<usize>,
    /// How many items to make, then add in one round trip (1 to 10,000).
    #[arg(long, default_value_t = 1, value_name = "N", value_parser = batch)]
    pub batch: usize,
}

// ANCHOR: add
/// This producer process: the stream's keys, and its name in the ledger,
/// new for each process, so that no earlier producer's count applies.
struct Me {
    keys: Keys,
    name: String,
}

/// Adds `items`, whose first is item number `first`, and returns how many
/// items this producer has added in all. Waits while the stream is full.
fn add(
    redis: &mut Redis,
    me: &Me,
    args: &Args,
    first: usize,
    items: &[Item],
) -> Result<usize, Error> {
    let script = redis::Script::new(ADD);
    loop {
        let mut call = script.key(&me.keys.stream);
        call.key(&me.keys.made).arg(&me.name).arg(args.id);
        call.arg(args.capacity.unwrap_or(0))
            .arg(args.maxlen.unwrap_or(0));
        call.arg(first);
        for item in items {
            // `{:?}` writes the shortest text that reads back as the same f64.
            call.arg(format!("{:?}", item.value));
        }
        let made: usize = redis.call(|con| call.invoke(con))?;
        if made > first {
            return Ok(made);
        }
        // Full: wait a little and try again, like `send` on a full bounded
        // channel (but polling, as Redis cannot wake us).
        thread::sleep(Duration::from_millis(5));
    }
}
// ANCHOR_END: add

// ANCHOR: main
/// Runs one producer with `args`.
pub fn main(args: &Args) -> Result<(), Error> {
    let mut redis = args.place.connect()?;
    let me = Me {
        keys: Keys::of(&args.place.stream),
        name: format!("{}:{:016x}", args.id, rand::random::<u64>()),
    };
    crate::session::check_rights(&mut redis, &me.keys)?;
    crate::session::check(&mut redis, &me.keys, false)?;
    println!("Producer {}: Running", args.id);
    let mut rng = producer_rng(args.seed, args.id);
    let mut made = 0;
    while made < args.items {
        // Make a batch, each item with its simulated effort.
        let batch: Vec<Item> = (made..args.items.min(made + args.batch))
            .map(|i| {
                let item = Item {
                    i,
                    value: rng.random(),
                };
                thread::sleep(Duration::from_secs_f64(item.value * args.time_scale));
                item
            })
            .collect();
        // Add it; if the stream is full, only part of it goes in at a time.
        let mut added = made;
        while added < made + batch.len() {
            let now = add(&mut redis, &me, args, added, &batch[added - made..])?;
            for item in &batch[added - made..now - made] {
                println!(">producer {} added {item}", args.id);
            }
            added = now;
        }
        made = added;
    }
    // Its count is no use any more.
    redis.call(|con| {
        redis::cmd("HDEL")
            .arg(&me.keys.made)
            .arg(&me.name)
            .exec(con)
    })?;
    println!("Producer {}: Done", args.id);
    Ok(())
}
// ANCHOR_END: main
