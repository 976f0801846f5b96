//! What a blocking call inside an async task does to the other tasks on
//! its thread, measured: a ticker task asks for a 10 ms timer, over and
//! over, and notes how late each one fires, while another task on the
//! same thread waits 100 ms three times, either blocking the thread
//! (`std::thread::sleep`) or suspending only itself (`tokio::time::sleep`).
//!
//! ```text
//! cargo run --example blocking_task
//! ```

use std::io::{self, ErrorKind, Write};
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// The ticker's period.
const TICK: Duration = Duration::from_millis(10);
/// Each of the other task's waits.
const WAIT: Duration = Duration::from_millis(100);

/// Asks for `ticks` timers of `TICK`, one after the other, and returns how
/// late the latest one fired.
async fn ticker(ticks: u32) -> Duration {
    let mut latest = Duration::ZERO;
    for _ in 0..ticks {
        let asked = Instant::now();
        tokio::time::sleep(TICK).await;
        latest = latest.max(asked.elapsed().saturating_sub(TICK));
    }
    latest
}

/// Waits `WAIT` three times, blocking the thread or not.
async fn worker(blocking: bool) {
    // Let the ticker start first: it is now waiting on its timer.
    tokio::task::yield_now().await;
    for _ in 0..3 {
        if blocking {
            std::thread::sleep(WAIT); // The thread stops: no task runs.
        } else {
            tokio::time::sleep(WAIT).await; // Only this task waits.
        }
        tokio::task::yield_now().await;
    }
}

/// Runs the ticker beside the worker on one thread; how late the ticker's
/// latest timer fired.
fn latest_tick(blocking: bool) -> Duration {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a runtime on this thread");
    runtime.block_on(async {
        let ticker = tokio::spawn(ticker(40));
        let worker = tokio::spawn(worker(blocking));
        worker.await.expect("the worker");
        ticker.await.expect("the ticker")
    })
}

fn main() -> ExitCode {
    // It takes no flags: a flag given anyway is a mistake, and says so.
    match std::env::args().nth(1).as_deref() {
        None => {}
        Some("-h" | "--help") => {
            let help = "blocking_task: how late a timer fires beside a blocking task; no flags";
            return exit_code(writeln!(io::stdout(), "{help}"));
        }
        Some(flag) => {
            let _ = writeln!(
                io::stderr(),
                "blocking_task: error: unexpected argument '{flag}' found (it takes none)"
            );
            return ExitCode::from(2);
        }
    }
    let blocked = latest_tick(true);
    let suspended = latest_tick(false);
    let report = format!(
        "with std::thread::sleep(100 ms) in the other task: a 10 ms timer fired up to {} ms late\n\
         with tokio::time::sleep(100 ms) in the other task: a 10 ms timer fired up to {} ms late",
        blocked.as_millis(),
        suspended.as_millis()
    );
    exit_code(writeln!(io::stdout(), "{report}"))
}

/// `println!` panics when stdout cannot be written; `writeln!` returns the
/// error, to end with the workspace's exit codes instead (3: cannot write;
/// 141: the reader went away).
fn exit_code(written: io::Result<()>) -> ExitCode {
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) if error.kind() == ErrorKind::BrokenPipe => ExitCode::from(141),
        Err(error) => {
            let _ = writeln!(
                io::stderr(),
                "blocking_task: error: cannot write the output: {error}"
            );
            ExitCode::from(3)
        }
    }
}
