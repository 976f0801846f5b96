//! A producer in a process of its own: makes its items and adds each to a
//! Redis stream. Run several at once, in separate terminals or on separate
//! machines, pointed at the same server and stream.
//!
//! ```text
//! cargo run -p redis-streams -- producer --redis redis://127.0.0.1/ --id 0
//! ```

use std::process::ExitCode;
use std::thread;
use std::time::Duration;

use crate::common::{Item, producer_rng};
use crate::stream::{NO_SERVER, Place, connect, fields, shown};
use rand::RngExt;
use redis::streams::StreamMaxlen;
use redis::{Commands, Connection, RedisResult};

/// Adds items to a Redis stream, one entry per item.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The server and the stream.
    #[command(flatten)]
    place: Place,
    /// This producer's number: it names the producer and picks its items.
    #[arg(long, default_value_t = 0)]
    id: usize,
    /// How many items to make.
    #[arg(long, default_value_t = 10)]
    items: usize,
    /// Makes the items reproducible: the same seed gives the same items.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Multiplies every simulated sleep; 0 does not sleep at all.
    #[arg(long, default_value_t = 1.0)]
    time_scale: f64,
    /// Waits while the stream holds this many unprocessed items: a real
    /// bound, unlike --maxlen.
    #[arg(long)]
    capacity: Option<usize>,
    /// Trims the stream to about this many entries as it adds (XADD MAXLEN
    /// ~): it drops the oldest, processed or not.
    #[arg(long, conflicts_with = "capacity")]
    maxlen: Option<usize>,
}

// ANCHOR: bounded
/// Adds the entry only if the stream holds fewer than `ARGV[1]` entries,
/// checked and done as one step on the server (a script runs alone), so
/// that producers racing for the last slot cannot both take it.
const ADD_IF_ROOM: &str = r"
if redis.call('XLEN', KEYS[1]) < tonumber(ARGV[1]) then
    return redis.call('XADD', KEYS[1], '*', 'producer', ARGV[2], 'i', ARGV[3], 'value', ARGV[4])
end
return false
";
// ANCHOR_END: bounded

// ANCHOR: add
/// Adds one item to the stream, the way `args` asks.
fn add(con: &mut Connection, args: &Args, item: Item) -> RedisResult<()> {
    let fields = fields(args.id, item);
    match (args.capacity, args.maxlen) {
        (Some(capacity), _) => {
            let script = redis::Script::new(ADD_IF_ROOM);
            // Full: wait a little and try again, like `send` on a full
            // bounded channel (but polling, as Redis cannot wake us).
            loop {
                let mut call = script.key(&args.place.stream);
                call.arg(capacity);
                for (_, value) in &fields {
                    call.arg(value);
                }
                let added: Option<String> = call.invoke(con)?;
                if added.is_some() {
                    return Ok(());
                }
                thread::sleep(Duration::from_millis(5));
            }
        }
        (None, Some(maxlen)) => con.xadd_maxlen::<_, _, _, _, ()>(
            &args.place.stream,
            StreamMaxlen::Approx(maxlen),
            "*",
            &fields,
        ),
        (None, None) => con.xadd::<_, _, _, _, ()>(&args.place.stream, "*", &fields),
    }
}
// ANCHOR_END: add

/// Runs one producer with `args`; the exit code says how it ended.
pub fn main(args: Args) -> ExitCode {
    let me = format!("Producer {}", args.id);
    let mut con = match connect(&args.place.redis) {
        Ok(con) => con,
        Err(error) => {
            eprintln!(
                "redis-streams producer: error: cannot reach Redis at {}: {error}",
                shown(&args.place.redis)
            );
            return ExitCode::from(NO_SERVER);
        }
    };
    println!("{me}: Running");
    let mut rng = producer_rng(args.seed, args.id);
    for i in 0..args.items {
        let item = Item {
            i,
            value: rng.random(),
        };
        thread::sleep(Duration::from_secs_f64(item.value * args.time_scale));
        if let Err(error) = add(&mut con, &args, item) {
            eprintln!(
                "redis-streams producer: error: lost Redis at {}: {error}",
                shown(&args.place.redis)
            );
            return ExitCode::from(NO_SERVER);
        }
        println!(">producer {} added {item}", args.id);
    }
    println!("{me}: Done");
    ExitCode::SUCCESS
}
