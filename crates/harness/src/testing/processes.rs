//! Processes as `ps` sees them, from `/proc`: which processes a program
//! started, what their command lines say, whether they have ended, and
//! signals sent to them, for fault tests that act on real processes.

use std::fs;
use std::thread;
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

/// The parent of process `pid`, if it is still there.
fn parent_of(pid: u32) -> Option<u32> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // "PID (NAME) STATE PPID ...": the name may hold spaces; skip past ')'.
    stat.rsplit_once(')')?
        .1
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// Every process whose parent, or its parent's parent and so on, is
/// `pid`, as they are now.
pub fn descendants(pid: u32) -> Vec<u32> {
    let all: Vec<u32> = fs::read_dir("/proc")
        .map(|entries| {
            entries
                .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse().ok())
                .collect()
        })
        .unwrap_or_default();
    let mut found = vec![pid];
    let mut grew = true;
    while grew {
        grew = false;
        for &candidate in &all {
            if !found.contains(&candidate)
                && parent_of(candidate).is_some_and(|parent| found.contains(&parent))
            {
                found.push(candidate);
                grew = true;
            }
        }
    }
    found.remove(0);
    found
}

/// Process `pid`'s command line, its words joined by spaces.
pub fn command_line(pid: u32) -> String {
    fs::read(format!("/proc/{pid}/cmdline"))
        .map(|bytes| String::from_utf8_lossy(&bytes).replace('\0', " "))
        .unwrap_or_default()
}

/// Whether process `pid` has ended: gone, or a zombie that no process
/// reaps (its parent is gone too).
pub fn has_ended(pid: u32) -> bool {
    match fs::read_to_string(format!("/proc/{pid}/stat")) {
        Err(_) => true,
        Ok(stat) => stat
            .rsplit_once(')')
            .is_some_and(|(_, rest)| rest.trim_start().starts_with('Z')),
    }
}

/// Waits until every process of `pids` has ended, at most `bound`; the
/// ones still running then.
pub fn still_running_after(pids: &[u32], bound: Duration) -> Vec<u32> {
    let started = Instant::now();
    loop {
        let running: Vec<u32> = pids.iter().copied().filter(|&p| !has_ended(p)).collect();
        if running.is_empty() || started.elapsed() > bound {
            return running;
        }
        thread::sleep(Duration::from_millis(20));
    }
}

/// Sends `signal` to process `pid` (nothing if it is gone).
pub fn signal(pid: u32, signal: Signal) {
    let _ = kill(Pid::from_raw(pid.cast_signed()), signal);
}

/// Whether process `pid`'s main thread is in a sleep (`nanosleep` or
/// `clock_nanosleep`, from `/proc/PID/syscall`), also once it is stopped
/// there: a program that sleeps only to simulate its work is then in the
/// middle of an item, not waiting on a socket.
pub fn sleeping(pid: u32) -> bool {
    // The numbers of the two calls on this machine's architecture.
    #[cfg(target_arch = "x86_64")]
    const SLEEPS: [&str; 2] = ["35", "230"];
    #[cfg(target_arch = "aarch64")]
    const SLEEPS: [&str; 2] = ["101", "115"];
    #[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
    const SLEEPS: [&str; 0] = [];
    let syscall = fs::read_to_string(format!("/proc/{pid}/syscall")).unwrap_or_default();
    let number = syscall.split_whitespace().next().unwrap_or_default();
    SLEEPS.contains(&number)
}

/// The peak memory of process `pid` so far, in KiB (`VmHWM`), if it is
/// still there.
pub fn peak_memory_kib(pid: u32) -> Option<u64> {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_child_is_found_then_ends() {
        let mut child = std::process::Command::new("sleep")
            .arg("30")
            .spawn()
            .expect("sleep");
        let me = std::process::id();
        assert!(descendants(me).contains(&child.id()));
        // Until its exec is done, a new process shows its parent's line.
        let started = Instant::now();
        while !command_line(child.id()).starts_with("sleep 30") {
            assert!(
                started.elapsed() < crate::testing::DEADLOCK_BOUND,
                "no sleep 30"
            );
            thread::sleep(Duration::from_millis(1));
        }
        assert!(!has_ended(child.id()));
        signal(child.id(), Signal::SIGKILL);
        let _ = child.wait();
        assert!(has_ended(child.id()));
    }
}
