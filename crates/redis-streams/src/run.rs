//! A whole run: a Redis server (a private one unless given one), P
//! producer processes and C consumer processes, their lines printed as
//! they come, the stream closed when the last producer is done, and an
//! account of every item at the end. Ctrl-C or a supervisor's SIGTERM
//! stops every process of the run and removes what it made.

use std::io::{BufRead, BufReader};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::{ExitCode, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::sync::mpsc::{self, SyncSender};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use nix::sys::signal::{SigSet, Signal, kill};
use nix::unistd::Pid;
use redis::Commands;

use crate::connection::{Error, Redis, Server};
use crate::flags::{self, batch, deliveries, millis, positive, processes, seconds, time_scale};
use crate::private_server::{PARENT, PrivateServer};
use crate::report::{Outcome, Report, Tally, clean_up};
use crate::stream::{CREATE, GROUP, Keys};

/// The run's settings: the sections' flags, and the Redis programs' own.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// How many producer processes to start (1 to 64).
    #[arg(long, default_value_t = 2, value_parser = processes)]
    producers: usize,
    /// How many consumer processes to start (1 to 64).
    #[arg(long, default_value_t = 3, value_parser = processes)]
    consumers: usize,
    /// How many items each producer makes.
    #[arg(long, default_value_t = 10, value_parser = flags::items, allow_negative_numbers = true)]
    items: usize,
    /// Makes the run's items reproducible: the same seed gives the same
    /// items. Without it, the seed is drawn at random and printed.
    #[arg(long)]
    seed: Option<u64>,
    /// Multiplies every simulated sleep (0 to 1000): 0.1 runs ten times
    /// faster, 0 does not sleep at all.
    #[arg(long, default_value_t = 1.0, value_parser = time_scale, allow_negative_numbers = true)]
    time_scale: f64,
    /// Bounds the stream to N unprocessed items: producers wait for room.
    #[arg(long, value_name = "N", value_parser = positive)]
    capacity: Option<usize>,
    /// Trims the stream to about N entries instead (XADD MAXLEN ~ N): no
    /// one waits, and what is trimmed is lost. To see why that is no bound.
    #[arg(long, value_name = "N", conflicts_with = "capacity", value_parser = positive)]
    maxlen: Option<usize>,
    /// How many items a producer adds, and a consumer reads and
    /// acknowledges, in one round trip (1 to 10,000).
    #[arg(long, default_value_t = 1, value_name = "N", value_parser = batch)]
    batch: usize,
    /// A Redis server to use, as a URL (redis://host:port/,
    /// rediss://host:port/, redis+unix:///path), better given in REDIS_URL
    /// than here, where `ps` shows it. Without either, a private
    /// redis-server is started for the run and stopped after it.
    #[arg(long, env = "REDIS_URL", hide_env_values = true, value_name = "URL")]
    redis: Option<String>,
    /// How long every process keeps trying while the server cannot be
    /// reached (it restarts), in seconds.
    #[arg(long, default_value_t = 30, value_name = "SECONDS", value_parser = seconds)]
    retry_for: u64,
    /// Consumers claim an entry another has held this long without
    /// acknowledging it, in milliseconds [default: twice the longest a
    /// batch can take, at least 200].
    #[arg(long, value_name = "MS", value_parser = millis)]
    claim_after: Option<u64>,
    /// An entry delivered more than N times and never acknowledged goes
    /// to the dead-letter stream.
    #[arg(long, default_value_t = 3, value_name = "N", value_parser = deliveries)]
    max_deliveries: usize,
    /// Makes consumer C die (with no goodbye, as `kill -9` would) when it
    /// starts its N-th item, counting from 0: another consumer claims what
    /// it held.
    #[arg(long, value_name = "C:N")]
    crash: Option<String>,
}

impl Args {
    /// The settings every program shares, once the flags pass every check
    /// that needs no server (the Redis programs' own flags aside).
    pub fn settings(&self) -> Result<crate::common::Settings, Error> {
        crash(self)?;
        self.redis.as_deref().map(Server::new).transpose()?;
        Ok(crate::common::Settings {
            producers: self.producers,
            consumers: self.consumers,
            items: self.items,
            seed: self.seed.unwrap_or_else(rand::random),
            time_scale: self.time_scale,
            capacity: self.capacity,
            panic_at: None,
            pace: None,
            jitter: false,
            stall: None,
        })
    }
}

/// The consumer and the item `--crash C:N` names, if it names one.
fn crash(args: &Args) -> Result<Option<(usize, usize)>, Error> {
    let Some(crash) = &args.crash else {
        return Ok(None);
    };
    let parsed = crash
        .split_once(':')
        .and_then(|(c, n)| Some((c.parse().ok()?, n.parse().ok()?)));
    match parsed {
        Some((c, n)) if c < args.consumers => Ok(Some((c, n))),
        _ => Err(Error::Input(format!(
            "--crash {crash}: expected C:N, with C a consumer of this run (0 to {})",
            args.consumers - 1
        ))),
    }
}

// ANCHOR: main
/// Runs the whole configuration; the exit code says how it ended.
pub fn main(args: &Args) -> Result<ExitCode, Error> {
    let crash = crash(args)?;
    let server = args.redis.as_deref().map(Server::new).transpose()?;
    let children = Children::watching_signals()?;
    let seed = args.seed.unwrap_or_else(rand::random);
    if args.seed.is_none() {
        crate::eprint_line(&format!("random run; repeat it with --seed {seed}"));
    }
    // A private server lives as long as this value: dropping it stops it.
    let private = match server {
        Some(_) => None,
        None => Some(PrivateServer::start()?),
    };
    let server = server.unwrap_or_else(|| private.as_ref().expect("a server").server());
    let mut redis = Redis::connect(&server, Duration::from_secs(args.retry_for))?;
    let keys = Keys::for_new_run();
    crate::session::check_rights(&mut redis, &keys)?;
    let script = redis::Script::new(CREATE);
    let mut create = script.prepare_invoke();
    create.arg(GROUP);
    for key in keys.all() {
        create.key(key);
    }
    redis.call(|con| create.invoke::<()>(con))?;
    if private.is_none() {
        crate::eprint_line(&format!(
            "redis-streams: this run's stream is {} on {server}",
            keys.stream
        ));
    }
    let run = Run {
        args,
        seed,
        crash,
        server: &server,
        keys: &keys,
        children: &children,
    };
    let outcome = run.start_and_watch();
    // Whatever happened, stop what is still running and remove the keys.
    children.stop(Signal::SIGTERM);
    let dead = clean_up(&mut redis, &keys, private.is_some());
    let report = Report {
        producers: args.producers,
        items: args.items,
        keys: &keys,
        private: private.is_some(),
        interrupted: children.interrupted(),
    };
    // A signal wins, whatever else went wrong: it says so, and how far
    // the run got, as far as it knows.
    if let Some(signal) = children.interrupted() {
        return Ok(report.stopped(signal, outcome.as_ref().ok(), dead.as_ref().err()));
    }
    Ok(report.print(&outcome?, &dead?))
}
// ANCHOR_END: main

/// The processes a run started, and the signal that interrupted it.
struct Children {
    running: Mutex<Vec<Pid>>,
    /// The signal (SIGINT, SIGTERM) the run was stopped by, or 0.
    stopped_by: AtomicI32,
}

impl Children {
    // ANCHOR: signals
    /// Starts watching for Ctrl-C (SIGINT) and a supervisor's SIGTERM: on
    /// either, every process of the run is stopped, and the run ends
    /// cleanly. The two signals are blocked in this thread before any
    /// other starts, so that every thread inherits that and only the
    /// watcher receives them (`sigwait`). The processes the run starts
    /// get the usual handling back (std resets the mask when it spawns).
    fn watching_signals() -> Result<Arc<Children>, Error> {
        let mut signals = SigSet::empty();
        signals.add(Signal::SIGINT);
        signals.add(Signal::SIGTERM);
        signals
            .thread_block()
            .map_err(|e| Error::Redis(format!("cannot watch for signals: {e}")))?;
        let children = Arc::new(Children {
            running: Mutex::new(Vec::new()),
            stopped_by: AtomicI32::new(0),
        });
        let watched = Arc::clone(&children);
        thread::spawn(move || {
            if let Ok(signal) = signals.wait() {
                watched.stopped_by.store(signal as i32, Ordering::SeqCst);
                // Nothing waits for a lost server any longer.
                crate::connection::stop_retrying(signal);
                watched.stop(Signal::SIGTERM);
                // A process that does not stop within five seconds is
                // killed: the run never hangs.
                thread::sleep(Duration::from_secs(5));
                watched.stop(Signal::SIGKILL);
            }
        });
        Ok(children)
    }
    // ANCHOR_END: signals

    /// Sends `signal` to every process still running (and SIGCONT, in case
    /// one is paused: a stopped process handles SIGTERM only once it runs).
    fn stop(&self, signal: Signal) {
        for &pid in self.running.lock().expect("the list of processes").iter() {
            let _ = kill(pid, signal);
            let _ = kill(pid, Signal::SIGCONT);
        }
    }

    /// Counts `pid` among the running, and stops it at once if the run
    /// is being stopped.
    fn started(&self, pid: Pid) {
        let mut running = self.running.lock().expect("the list of processes");
        running.push(pid);
        if self.interrupted().is_some() {
            let _ = kill(pid, Signal::SIGTERM);
        }
    }

    fn ended(&self, pid: Pid) {
        self.running
            .lock()
            .expect("the list of processes")
            .retain(|&p| p != pid);
    }

    fn count_running(&self) -> usize {
        self.running.lock().expect("the list of processes").len()
    }

    fn interrupted(&self) -> Option<Signal> {
        Signal::try_from(self.stopped_by.load(Ordering::SeqCst)).ok()
    }
}

/// One run's settings and shared parts.
struct Run<'a> {
    args: &'a Args,
    seed: u64,
    crash: Option<(usize, usize)>,
    server: &'a Server,
    keys: &'a Keys,
    children: &'a Arc<Children>,
}

impl Run<'_> {
    // ANCHOR: run
    /// Starts the consumers, then the producers; prints every line as it
    /// comes, from whichever process printed it, counting what it says;
    /// closes the stream when the last producer has exited.
    fn start_and_watch(&self) -> Result<Outcome, Error> {
        // Bounded: a reader that falls behind slows the processes down,
        // instead of filling this one's memory.
        let (lines, printed) = mpsc::sync_channel(1024);
        let mut consumers = Vec::new();
        for id in 0..self.args.consumers {
            consumers.push(self.start("consumer", id, self.consumer_flags(id), &lines)?);
        }
        let mut producers = Vec::new();
        for id in 0..self.args.producers {
            producers.push(self.start("producer", id, self.producer_flags(id), &lines)?);
        }
        drop(lines);
        let closer = self.close_when_done(producers)?;
        let consumers_gone = Arc::new(AtomicBool::new(false));
        let consumers = self.stop_producers_when_no_consumer_is_left(consumers, &consumers_gone);
        let tally = Tally::of_lines(printed, self.args.producers, self.seed);
        let consumers = consumers.join().expect("the consumers' watcher");
        let producers = closer.join().expect("the closer")?;
        Ok(Outcome {
            tally,
            producers,
            consumers,
            consumers_gone: consumers_gone.load(Ordering::SeqCst),
        })
    }

    /// Waits, in a thread of its own, for every consumer to end. If none
    /// is left while producers still run (crashed, refused by the server,
    /// their group destroyed), nothing will ever process their items or,
    /// in a bounded stream, make room for them: the producers are stopped,
    /// and `gone` says why. Returns how each consumer ended.
    fn stop_producers_when_no_consumer_is_left(
        &self,
        consumers: Vec<JoinHandle<ExitStatus>>,
        gone: &Arc<AtomicBool>,
    ) -> JoinHandle<Vec<ExitStatus>> {
        let (children, gone) = (Arc::clone(self.children), Arc::clone(gone));
        let producers = self.args.producers;
        thread::spawn(move || {
            let ended: Vec<ExitStatus> = consumers
                .into_iter()
                .map(|c| c.join().expect("a relay"))
                .collect();
            // Only producers can still run now.
            if children.count_running() > 0 && producers > 0 {
                gone.store(true, Ordering::SeqCst);
                children.stop(Signal::SIGTERM);
            }
            ended
        })
    }

    /// Waits, in a thread of its own, for every producer to exit, then
    /// marks the stream closed: the consumers stop once they find it
    /// closed and nothing pending.
    fn close_when_done(
        &self,
        producers: Vec<JoinHandle<ExitStatus>>,
    ) -> Result<JoinHandle<Result<Vec<ExitStatus>, Error>>, Error> {
        let mut redis =
            Redis::connect_waiting(self.server, Duration::from_secs(self.args.retry_for))?;
        let closed = self.keys.closed.clone();
        Ok(thread::spawn(move || {
            let ended = producers
                .into_iter()
                .map(|p| p.join().expect("a relay"))
                .collect();
            redis.call(|con| con.set::<_, _, ()>(&closed, 1))?;
            Ok(ended)
        }))
    }
    // ANCHOR_END: run

    fn consumer_flags(&self, id: usize) -> Vec<String> {
        let args = self.args;
        let mut flags = vec![
            format!("--time-scale={}", args.time_scale),
            format!("--max-deliveries={}", args.max_deliveries),
        ];
        if let Some(ms) = args.claim_after {
            flags.push(format!("--claim-after={ms}"));
        }
        if let Some((_, n)) = self.crash.filter(|&(c, _)| c == id) {
            flags.push(format!("--crash-at={n}"));
        }
        flags
    }

    fn producer_flags(&self, _id: usize) -> Vec<String> {
        let args = self.args;
        let mut flags = vec![
            format!("--items={}", args.items),
            format!("--seed={}", self.seed),
            format!("--time-scale={}", args.time_scale),
        ];
        flags.extend(args.capacity.map(|n| format!("--capacity={n}")));
        flags.extend(args.maxlen.map(|n| format!("--maxlen={n}")));
        flags
    }

    // ANCHOR: start
    /// Starts `redis-streams ROLE` with `flags`, and a thread that sends
    /// each line it prints down `lines`, then waits for it to end: a
    /// process killed by a signal (it could not say so itself) gets one
    /// more line, `Consumer 2: Killed`. The thread returns how it ended.
    ///
    /// The server's URL, password and all, goes in the environment, which
    /// only this user can read, never on the command line, which `ps`
    /// shows to everyone. The process gets a group of its own, so that
    /// Ctrl-C reaches the run alone, which stops it in order.
    fn start(
        &self,
        role: &'static str,
        id: usize,
        flags: Vec<String>,
        lines: &SyncSender<String>,
    ) -> Result<JoinHandle<ExitStatus>, Error> {
        let mut child = crate::private_server::this_program()
            .map_err(|e| Error::Redis(format!("cannot find this program: {e}")))?
            .arg(role)
            .arg(format!("--id={id}"))
            .arg(format!("--stream={}", self.keys.stream))
            .arg(format!("--batch={}", self.args.batch))
            .arg(format!("--retry-for={}", self.args.retry_for))
            .args(flags)
            .env("REDIS_URL", self.server.url())
            .env(PARENT, std::process::id().to_string())
            .process_group(0)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| Error::Redis(format!("cannot start a {role}: {e}")))?;
        let pid = Pid::from_raw(child.id().cast_signed());
        self.children.started(pid);
        let stdout = child.stdout.take().expect("a piped stdout");
        let (lines, children) = (lines.clone(), Arc::clone(self.children));
        Ok(thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = lines.send(line);
            }
            let status = child.wait().expect("a process to wait for");
            children.ended(pid);
            if status.signal().is_some() {
                let name = if role == "consumer" {
                    "Consumer"
                } else {
                    "Producer"
                };
                let _ = lines.send(format!("{name} {id}: Killed"));
            }
            status
        }))
    }
    // ANCHOR_END: start
}
