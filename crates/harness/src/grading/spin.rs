//! A thread that waits by spinning: it loops on `try_recv` or `try_send`
//! where it could wait in `recv` or `send`. Its lines are those of a
//! thread that waits, so no rule on them shows it; what shows is the CPU
//! it burns without ever going to sleep. Watched from outside, in
//! `/proc`: each thread's CPU time (`schedstat`) and how many times it
//! went to sleep of its own accord (`voluntary_ctxt_switches`), every
//! [`LOOK_EVERY`].
//!
//! Between two looks in which a thread that waits never went to sleep, it
//! used a few microseconds of CPU at most: to print a line, or send an
//! item. A thread that spins uses all the CPU it is given, and on a busy
//! machine it is still given its share; where several spin on one lock,
//! they sleep on it now and then, and still use a large share of the
//! time between looks, which a thread that waits never does. Only CPU time counts, not time
//! spent waiting for a core: a thread that waits, woken late on a busy
//! machine, still uses microseconds once it runs.
//!
//! On a crowded machine a spinner gets little CPU, but it is always ready
//! to run, and leaves its core only when the scheduler takes it back. So
//! the looks also add up how long each thread was runnable (on a core, or
//! waiting for one), where it was runnable most of the time and was taken
//! off its core more often than it went to sleep. A thread that waits may
//! wait long for a core, but it leaves it by going to sleep.
//!
//! A thread that yields its core each time round (`yield_now`) uses CPU
//! only where no other thread wants it: on an idle machine it shows, on a
//! busy one it may not. Counting the times it is taken off its core
//! alone does not tell it apart: a thread at work is taken off too, after
//! each slice. What does is how long it stayed each time: microseconds,
//! where a thread at work stays for a slice of its work. Only the gaps
//! of stall runs are watched so ([`GAP_YIELD_BOUND`]).

use std::collections::HashMap;
use std::time::{Duration, Instant};

/// How often a run's threads are looked at: each look reads two files a
/// thread, and grading watches a dozen runs at once.
pub const LOOK_EVERY: Duration = Duration::from_millis(50);

/// How much CPU time a run's threads may use, in all, between looks in
/// which they never went to sleep or used a large share of the time. A
/// thread's own work counts there too: in a quick run, where each item's
/// sleep is a fraction of a millisecond, a thread of a right answer that
/// prints and sends between them used up to 55 ms so (a debug build, four
/// runs at once). A thread that spins while a slow producer works uses
/// far more: three consumers looping on `try_recv`, sharing two cores
/// with other runs and sleeping now and then on the channel's lock, used
/// 325 ms and more in a lopsided run.
pub const SPIN_BOUND: Duration = Duration::from_millis(120);

/// A thread that used more than this share (one in ten) of the time
/// between two looks spun, even if it went to sleep in between: a thread
/// that waits uses microseconds each time it wakes, a few milliseconds in
/// a second even when it polls every millisecond.
const BUSY_SHARE: u32 = 10;

/// How long a run's threads may be runnable (on a core, or ready and
/// waiting for one), in all, in looks where a thread was runnable more
/// than half the time between them and was taken off its core by the
/// scheduler more times than it went to sleep. One that spins is runnable
/// all the time, however little CPU a busy machine gives it, and leaves
/// its core only when the scheduler takes it (or, now and then, to sleep
/// on a lock it shares). A thread that waits leaves its core by going to
/// sleep, each time it has taken an item or printed a line; on a crowded
/// machine it may still wait for a core most of the time (the threads of
/// a right answer's quick run, beside six busy loops: up to 400 ms), which
/// is why only the looks where the scheduler took it off count. Three
/// consumers looping on `try_recv` through a lopsided run are runnable so
/// for over a second (930 ms beside six busy loops; 960 to 1,150 ms with
/// the corpus graded eight answers at once, idle or beside two or four
/// busy loops); the threads of the corpus's right answers, 40 ms at most
/// beside six busy loops, but one of them 407 ms, twice in a row, with the
/// corpus graded eight at once beside two busy loops.
pub const RUNNABLE_BOUND: Duration = Duration::from_millis(600);

/// How much CPU time the threads of a stall run may use, in all, between
/// looks in which they never went to sleep, during the gap (while one
/// thread is held back and the clock runs fast). A thread that loops
/// until the held one moves (`while done.load(..) < n {}`) spins there
/// for the whole gap, three seconds: over a second even on a busy machine.
/// A thread that does its work in the gap, its sleeps over at once, uses
/// tens of milliseconds at most: a producer adding a thousand items. A
/// loop of timed waits sleeps at each reading of the clock, and never
/// counts.
pub const GAP_SPIN_BOUND: Duration = Duration::from_millis(400);

/// How long the threads of a stall run may be runnable (on a core, or
/// ready and waiting for one), in all, during the gap, in looks in which
/// they never went to sleep and were runnable more than half the time
/// between them. A thread that loops until the held one moves is runnable
/// for the whole gap, however little CPU a crowded machine gives it (a
/// loop on `try_send`, beside everything else a CI run does, used under
/// 400 ms of CPU in a three-second gap). A thread that does its work in
/// the gap is runnable only while it does it, a producer adding a
/// thousand items; one that waits, with a timeout or without, sleeps.
/// Half the longest gap: the gap that holds one consumer alone, a second,
/// cannot reach it.
pub const GAP_RUNNABLE_BOUND: Duration = Duration::from_millis(1500);

/// How many times the threads of a stall run may be taken off their core
/// after a moment on it ([`YIELD_STAY`] a time, on average), in all,
/// between looks in which they never went to sleep, during the gap. A
/// thread that loops on `thread::yield_now()` gives its core up each time
/// round, after microseconds on it: on a busy machine it uses little CPU,
/// as others take the core, but is switched out 490 times and more in a
/// gap even beside six busy loops, and thousands beside two. A thread
/// that works through the gap without sleeping is taken off after a slice
/// of its work, and does not count: the corpus's right answers count
/// none.
pub const GAP_YIELD_BOUND: u64 = 150;

/// How long, at most, a thread must stay on its core on average each time
/// it is taken off for those times to count as yields: a loop on
/// `yield_now()` stays some 10 microseconds (a `try_send` and the call); a
/// thread at work stays for its slice, unless another thread woken takes
/// its core sooner, a few hundred microseconds at the least.
pub const YIELD_STAY: Duration = Duration::from_micros(50);

/// A thread's times, as `/proc` counts them from its start.
#[derive(Clone, Copy)]
struct Times {
    /// Its CPU time, in nanoseconds.
    cpu: u64,
    /// How long it was ready to run and waited for a core, in nanoseconds.
    waiting: u64,
    /// How many times it went to sleep of its own accord.
    sleeps: u64,
    /// How many times it was taken off its core while it could still run.
    switched: u64,
}

/// What the looks at one run found.
#[derive(Default)]
pub struct Spin {
    /// Whether only looks with no sleep count, not those with a large
    /// share of the time (in a gap, a loop of timed waits sleeps at each
    /// reading of the clock, and its share is its own business).
    sleepless: bool,
    /// Each thread's times at the last look.
    last: HashMap<String, Times>,
    /// The times threads were taken off their core between looks with no
    /// sleep, in all.
    switched: u64,
    /// The CPU time used between looks with no sleep, by all threads.
    spun: Duration,
    /// The time threads were runnable in looks where they were runnable
    /// more than half the time, by all threads.
    runnable: Duration,
    /// The same, in looks where they never slept either (for a gap).
    runnable_sleepless: Duration,
    /// When the last look was.
    at: Option<Instant>,
}

impl Spin {
    /// Looks that count a thread's time only where it never slept.
    pub fn sleepless() -> Spin {
        Spin {
            sleepless: true,
            ..Spin::default()
        }
    }

    /// Looks at each thread of process `pid`, if the last look was
    /// [`LOOK_EVERY`] ago (a thread gone, or `/proc` unreadable, is
    /// skipped: a run seen less is judged on less).
    pub fn look(&mut self, pid: u32) {
        if self.at.is_some_and(|at| at.elapsed() < LOOK_EVERY) {
            return;
        }
        let since = self.at.map_or(Duration::ZERO, |at| at.elapsed());
        self.at = Some(Instant::now());
        let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
            return;
        };
        for task in tasks.flatten() {
            let path = task.path();
            let (Ok(schedstat), Ok(status)) = (
                std::fs::read_to_string(path.join("schedstat")),
                std::fs::read_to_string(path.join("status")),
            ) else {
                continue;
            };
            // `CPU_NS WAITING_NS TIMES_ON_A_CORE`
            let mut times = schedstat.split_whitespace().map(|n| n.parse::<u64>().ok());
            let (cpu, waiting) = (times.next().flatten(), times.next().flatten());
            let count = |name: &str| {
                status
                    .lines()
                    .find_map(|line| line.strip_prefix(name))
                    .and_then(|n| n.trim().parse::<u64>().ok())
            };
            let (sleeps, switched) = (
                count("voluntary_ctxt_switches:"),
                count("nonvoluntary_ctxt_switches:"),
            );
            let (Some(cpu), Some(waiting), Some(sleeps), Some(switched)) =
                (cpu, waiting, sleeps, switched)
            else {
                continue;
            };
            let now = Times {
                cpu,
                waiting,
                sleeps,
                switched,
            };
            let id = task.file_name().to_string_lossy().into_owned();
            if let Some(before) = self.last.insert(id, now) {
                self.count(before, now, since);
            }
        }
    }

    /// Counts what one thread did between two looks, `since` apart.
    fn count(&mut self, before: Times, now: Times, since: Duration) {
        let used = Duration::from_nanos(now.cpu.saturating_sub(before.cpu));
        let runnable = used + Duration::from_nanos(now.waiting.saturating_sub(before.waiting));
        let (sleeps, taken_off) = (
            now.sleeps.saturating_sub(before.sleeps),
            now.switched.saturating_sub(before.switched),
        );
        if !self.sleepless && runnable > since / 2 && taken_off > sleeps {
            self.runnable += runnable;
        }
        let slept = sleeps > 0;
        if !slept && runnable > since / 2 {
            self.runnable_sleepless += runnable;
        }
        // Only where it never slept, and stayed on its core a moment each
        // time: a thread that works through the gap (a thousand items to
        // make) is switched out too, after a slice of its work.
        if !slept && used < YIELD_STAY * u32::try_from(taken_off).unwrap_or(u32::MAX) {
            self.switched += taken_off;
        }
        // Threads that spin on one lock (`try_recv` in a loop, in several
        // consumers) also sleep on it, now and then: a tenth of the time
        // between looks is far more than a thread that waits ever uses,
        // however often it wakes.
        if !slept || (!self.sleepless && used > since / BUSY_SHARE) {
            self.spun += used;
        }
    }

    /// The CPU time used without sleeping, if more than [`SPIN_BOUND`].
    pub fn spun(&self) -> Option<Duration> {
        self.spun_over(SPIN_BOUND)
    }

    /// The time threads were runnable in looks where they were runnable
    /// most of the time, if more than [`RUNNABLE_BOUND`].
    pub fn runnable(&self) -> Option<Duration> {
        (self.runnable > RUNNABLE_BOUND).then_some(self.runnable)
    }

    /// The time threads were runnable without sleeping, in looks where
    /// they were runnable most of the time, if more than
    /// [`GAP_RUNNABLE_BOUND`].
    pub fn runnable_without_sleep(&self) -> Option<Duration> {
        (self.runnable_sleepless > GAP_RUNNABLE_BOUND).then_some(self.runnable_sleepless)
    }

    /// The CPU time used without sleeping, if more than `bound`.
    pub fn spun_over(&self, bound: Duration) -> Option<Duration> {
        (self.spun > bound).then_some(self.spun)
    }

    /// The times threads were taken off their core without sleeping, if
    /// more than [`GAP_YIELD_BOUND`].
    pub fn yielded(&self) -> Option<u64> {
        (self.switched > GAP_YIELD_BOUND).then_some(self.switched)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::process::{Command, Stdio};

    /// Looks at the program `command` starts every 10 ms (a look at most
    /// every [`LOOK_EVERY`]), from its first
    /// line on, until `done` says enough (or 30 s pass, a hang bound),
    /// then kills it.
    fn watch(mut command: Command, mut spin: Spin, done: impl Fn(&Spin, usize) -> bool) -> Spin {
        use std::io::BufRead;
        let mut child = command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .spawn()
            .expect("the program starts");
        let mut ready = String::new();
        if let Some(out) = child.stdout.take() {
            let _ = std::io::BufReader::new(out).read_line(&mut ready);
        }
        let started = Instant::now();
        let mut looks = 0;
        while !done(&spin, looks) && started.elapsed() < Duration::from_secs(30) {
            spin.look(child.id());
            looks += 1;
            std::thread::sleep(Duration::from_millis(10));
        }
        let _ = child.kill();
        let _ = child.wait();
        spin
    }

    /// Busy processes on core 0 (`taskset`, from util-linux), that take
    /// the core from whatever else runs there; killed when dropped.
    struct Crowd(Vec<std::process::Child>);

    impl Crowd {
        fn on_core_0(size: usize) -> Crowd {
            Crowd(
                (0..size)
                    .map(|_| {
                        on_core_0(&["sh", "-c", "while :; do :; done"])
                            .spawn()
                            .expect("taskset starts")
                    })
                    .collect(),
            )
        }
    }

    impl Drop for Crowd {
        fn drop(&mut self) {
            for busy in &mut self.0 {
                let _ = busy.kill();
                let _ = busy.wait();
            }
        }
    }

    /// `program`, with its arguments, run on core 0 only.
    fn on_core_0(program: &[&str]) -> Command {
        let mut command = Command::new("taskset");
        command.args(["-c", "0"]).args(program);
        command
    }

    /// A spinner: a shell that loops for ever, once it has said so.
    const SPINNER: [&str; 3] = ["sh", "-c", "echo ready; while :; do :; done"];

    #[test]
    fn a_program_that_never_sleeps_is_seen_spinning() {
        let mut spinner = Command::new(SPINNER[0]);
        spinner.args(&SPINNER[1..]);
        let spin = watch(spinner, Spin::default(), |spin, _| spin.spun().is_some());
        assert!(spin.spun().is_some(), "spun {:?} in 30 s", spin.spun);
    }

    #[test]
    fn a_program_that_spins_and_sleeps_now_and_then_is_seen_spinning() {
        // As threads that spin on one lock do: a sleep in every look.
        let mut spinner = Command::new("python3");
        spinner.args([
            "-c",
            "import time\nprint('ready', flush=True)\nwhile True:\n    t = time.monotonic()\n    \
             while time.monotonic() - t < 0.01: pass\n    time.sleep(0.0001)",
        ]);
        let spin = watch(spinner, Spin::default(), |spin, _| spin.spun().is_some());
        assert!(spin.spun().is_some(), "spun {:?} in 30 s", spin.spun);
    }

    #[test]
    fn the_exercises_page_gives_the_bound_and_how_often_threads_are_seen() {
        let path = crate::grading::folder().join("../book/src/exercises.md");
        let page = std::fs::read_to_string(&path).expect("the exercises page");
        let page = page.split_whitespace().collect::<Vec<_>>().join(" ");
        for said in [
            format!("every {} ms", LOOK_EVERY.as_millis()),
            format!("more than {} ms of CPU", SPIN_BOUND.as_millis()),
            format!(
                "runnable for more than {} ms in all",
                RUNNABLE_BOUND.as_millis()
            ),
            format!(
                "more than {} ms of CPU in the gap",
                GAP_SPIN_BOUND.as_millis()
            ),
            format!(
                "runnable for more than {} ms in the gap",
                GAP_RUNNABLE_BOUND.as_millis()
            ),
            format!(
                "more than {GAP_YIELD_BOUND} times there without sleeping, after less than {} µs",
                YIELD_STAY.as_micros()
            ),
        ] {
            assert!(
                page.contains(&said),
                "{} does not say {said:?}",
                path.display()
            );
        }
    }

    #[test]
    fn in_a_gap_only_a_thread_that_never_sleeps_counts() {
        let mut spinner = Command::new(SPINNER[0]);
        spinner.args(&SPINNER[1..]);
        let spin = watch(spinner, Spin::sleepless(), |spin, _| {
            spin.spun_over(GAP_SPIN_BOUND).is_some()
        });
        assert!(
            spin.spun_over(GAP_SPIN_BOUND).is_some(),
            "spun {:?} in 30 s",
            spin.spun
        );
        // A loop of timed waits in a gap sleeps at each reading of the
        // clock: however large its share, it waits.
        let mut poller = Command::new("python3");
        poller.args([
            "-c",
            "import time\nprint('ready', flush=True)\nwhile True:\n    t = time.monotonic()\n    \
             while time.monotonic() - t < 0.01: pass\n    time.sleep(0.0001)",
        ]);
        let spin = watch(poller, Spin::sleepless(), |_, looks| looks > 200);
        assert!(spin.spun.is_zero(), "counted {:?}", spin.spun);
        assert_eq!(spin.yielded(), None);
    }

    #[test]
    fn a_thread_that_yields_again_and_again_is_seen_where_others_take_its_core() {
        // A busy process on the same core takes the core each time the
        // yielder gives it up.
        let crowd = Crowd::on_core_0(1);
        let yielder = on_core_0(&[
            "python3",
            "-c",
            "import os\nprint('ready', flush=True)\nwhile True: os.sched_yield()",
        ]);
        let spin = watch(yielder, Spin::sleepless(), |spin, _| {
            spin.yielded().is_some()
        });
        drop(crowd);
        assert!(
            spin.yielded().is_some(),
            "taken off its core {} times in 30 s",
            spin.switched
        );
    }

    #[test]
    fn a_thread_at_work_taken_off_its_core_again_and_again_does_not_yield() {
        // Three busy processes share core 0 with a thread that never
        // sleeps: the scheduler takes its core after each slice.
        let crowd = Crowd::on_core_0(3);
        let spin = watch(on_core_0(&SPINNER), Spin::sleepless(), |_, looks| {
            looks > 300
        });
        drop(crowd);
        assert_eq!(spin.yielded(), None, "{} yields", spin.switched);
    }

    #[test]
    fn a_spinner_given_little_cpu_is_still_always_runnable() {
        // Three busy processes share core 0 with the spinner: it gets a
        // quarter of the core, and is ready to run all the time.
        let crowd = Crowd::on_core_0(3);
        let spin = watch(on_core_0(&SPINNER), Spin::default(), |spin, _| {
            spin.runnable().is_some()
        });
        drop(crowd);
        assert!(
            spin.runnable().is_some(),
            "runnable {:?} in 30 s",
            spin.runnable
        );
    }

    #[test]
    fn in_a_gap_a_spinner_given_little_cpu_is_still_runnable_without_sleep() {
        // Six busy processes share core 0 with the spinner: it gets a
        // seventh of the core, under the gap's bound of CPU in three
        // seconds, and is ready to run all the time.
        let crowd = Crowd::on_core_0(6);
        let spin = watch(on_core_0(&SPINNER), Spin::sleepless(), |spin, _| {
            spin.runnable_without_sleep().is_some()
        });
        drop(crowd);
        assert!(
            spin.runnable_without_sleep().is_some(),
            "runnable {:?} in 30 s",
            spin.runnable_sleepless
        );
        // A thread that sleeps between its looks, crowded as much, never
        // counts.
        let crowd = Crowd::on_core_0(6);
        let poller = on_core_0(&[
            "python3",
            "-c",
            "import time\nprint('ready', flush=True)\nwhile True: time.sleep(0.0002)",
        ]);
        let spin = watch(poller, Spin::sleepless(), |_, looks| looks > 300);
        drop(crowd);
        assert!(
            spin.runnable_sleepless.is_zero(),
            "runnable {:?}",
            spin.runnable_sleepless
        );
    }

    #[test]
    fn a_thread_woken_often_on_a_crowded_core_is_not_runnable_so() {
        // Eight busy processes share core 0 with a thread that sleeps a
        // fifth of a millisecond at a time: it waits for the core nearly
        // all the time, and runs for tens of microseconds once there.
        let crowd = Crowd::on_core_0(8);
        let poller = on_core_0(&[
            "python3",
            "-c",
            "import time\nprint('ready', flush=True)\nwhile True: time.sleep(0.0002)",
        ]);
        let spin = watch(poller, Spin::default(), |_, looks| looks > 200);
        drop(crowd);
        assert!(spin.runnable().is_none(), "runnable {:?}", spin.runnable);
    }

    #[test]
    fn a_program_that_polls_with_a_1_ms_sleep_is_not() {
        let mut poller = Command::new("python3");
        // Looked at once it has started: the interpreter uses tens of
        // milliseconds of CPU to start, without a sleep.
        poller.args([
            "-c",
            "import time\nprint('ready', flush=True)\nwhile True: time.sleep(0.001)",
        ]);
        let spin = watch(poller, Spin::default(), |_, looks| looks > 200);
        assert!(spin.spun().is_none(), "spun {:?}", spin.spun);
        assert!(spin.runnable().is_none(), "runnable {:?}", spin.runnable);
    }
}
