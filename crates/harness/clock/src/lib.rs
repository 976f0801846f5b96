//! A clock that grading can make run fast: loaded into an exercise's
//! program with `LD_PRELOAD`, it stands in for the C library's
//! `clock_gettime`, `nanosleep`, `clock_nanosleep` and the timed waits of
//! `syscall(SYS_futex, ..)`, the calls under Rust's `Instant`,
//! `SystemTime`, `thread::sleep`, `recv_timeout`, `park_timeout` and
//! `Condvar::wait_timeout`. The file `GRADING_CLOCK` names holds a rate
//! (eight bytes, native order): 0 or 1, and time runs as it does; more,
//! and from the moment a call first sees it, time runs that many times as
//! fast, for good (it never goes back; every sum of times saturates, so
//! 292 years after boot it stops there). A timed wait ends when the fast
//! time reaches its deadline. So grading can outwait a timeout of years
//! in seconds: a program that takes a timeout for the end shows it.
//! Without `GRADING_CLOCK`, every call behaves as the C library's.
//!
//! `GRADING_WAKE_PAUSE`, a number of microseconds, makes a thread that
//! wakes another (a `FUTEX_WAKE` that woke one: a send to a waiting
//! receiver, an unlock, a notify, an unpark) pause that long before it
//! goes on, so that the woken thread runs first. A program that announces
//! something before it is so (a flag raised, a count taken, a notify made
//! before the send it stands for) shows it in every run: the one it woke
//! acts on the announcement while the announcer is still short of it.
//!
//! `GRADING_SPAWN_PAUSE`, a number of microseconds, makes a thread that
//! starts another (`pthread_create`, under `thread::spawn` and a scope's
//! `spawn`) pause that long once it has, so that the new thread runs
//! first.

use std::ffi::{c_int, c_long};
use std::sync::atomic::{AtomicI64, AtomicPtr, AtomicUsize, Ordering};

use libc::{clockid_t, timespec};

/// How long one real wait lasts at most, in nanoseconds, before the
/// moved clock is read again.
const SLICE: i64 = 2_000_000;

const NANOS: i64 = 1_000_000_000;

/// The rate's eight bytes, mapped from the file, or null before the
/// first call (and where there is no file, a pointer to zero).
static RATE: AtomicPtr<i64> = AtomicPtr::new(std::ptr::null_mut());
static ZERO: i64 = 0;

/// The real monotonic time at which time began to run fast, or 0.
static SINCE: AtomicI64 = AtomicI64::new(0);

/// The C library's functions this one stands in for.
static REAL_CLOCK: AtomicUsize = AtomicUsize::new(0);
static REAL_SYSCALL: AtomicUsize = AtomicUsize::new(0);

fn real(slot: &AtomicUsize, name: &[u8]) -> usize {
    let mut found = slot.load(Ordering::Acquire);
    if found == 0 {
        // SAFETY: `name` ends with a NUL; dlsym only reads it.
        found = unsafe { libc::dlsym(libc::RTLD_NEXT, name.as_ptr().cast()) } as usize;
        slot.store(found, Ordering::Release);
    }
    found
}

/// How far the clocks are ahead of the real time, in nanoseconds.
fn offset() -> i64 {
    let mut at = RATE.load(Ordering::Acquire);
    if at.is_null() {
        at = map_rate();
        RATE.store(at, Ordering::Release);
    }
    // SAFETY: `at` is either ZERO or eight mapped bytes that stay mapped;
    // grading writes them whole, with one aligned store.
    let rate = unsafe { std::ptr::read_volatile(at) };
    if rate <= 1 {
        return 0;
    }
    let now = real_now(libc::CLOCK_MONOTONIC);
    let since = match SINCE.compare_exchange(0, now, Ordering::AcqRel, Ordering::Acquire) {
        Ok(_) => now,
        Err(since) => since,
    };
    (now - since).saturating_mul(rate - 1)
}

fn map_rate() -> *mut i64 {
    let zero = (&raw const ZERO).cast_mut();
    // SAFETY: getenv's result is a NUL-terminated string or null; open and
    // mmap are given valid arguments, and their failures are checked.
    unsafe {
        let path = libc::getenv(c"GRADING_CLOCK".as_ptr());
        if path.is_null() {
            return zero;
        }
        let fd = libc::open(path, libc::O_RDONLY | libc::O_CLOEXEC);
        if fd < 0 {
            return zero;
        }
        let map = libc::mmap(
            std::ptr::null_mut(),
            8,
            libc::PROT_READ,
            libc::MAP_SHARED,
            fd,
            0,
        );
        libc::close(fd);
        if map == libc::MAP_FAILED {
            zero
        } else {
            map.cast()
        }
    }
}

fn real_now(clock: clockid_t) -> i64 {
    let mut now = timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: the C library's clock_gettime, given a valid pointer.
    unsafe {
        let call: unsafe extern "C" fn(clockid_t, *mut timespec) -> c_int =
            std::mem::transmute(real(&REAL_CLOCK, b"clock_gettime\0"));
        call(clock, &raw mut now);
    }
    nanos(&now)
}

// `time_t` and `c_long` are narrower than 64 bits on some targets.
#[allow(clippy::unnecessary_cast)]
fn nanos(time: &timespec) -> i64 {
    time.tv_sec as i64 * NANOS + time.tv_nsec as i64
}

fn time(nanos: i64) -> timespec {
    timespec {
        tv_sec: (nanos.div_euclid(NANOS)) as _,
        tv_nsec: (nanos.rem_euclid(NANOS)) as _,
    }
}

/// The clocks the offset moves: every one a program reads the time of
/// day or a duration from.
fn moved(clock: clockid_t) -> bool {
    matches!(
        clock,
        libc::CLOCK_REALTIME
            | libc::CLOCK_MONOTONIC
            | libc::CLOCK_MONOTONIC_RAW
            | libc::CLOCK_REALTIME_COARSE
            | libc::CLOCK_MONOTONIC_COARSE
            | libc::CLOCK_BOOTTIME
    )
}

/// How long, in real time, a read of a moved clock waits once time runs
/// fast (and a sleep lasts at most). A loop of short timed waits
/// (`recv_timeout` in a loop) reads the clock each time round, and each of
/// its waits is over at once in fast time: without this pause it would
/// spin for the rest of the run; with it, it uses a few percent of a
/// core. The program cannot tell: its time moves fifteen seconds in that
/// half millisecond anyway.
const FAST_READ: i64 = 500_000;

/// # Safety
/// As the C library's `clock_gettime`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn clock_gettime(clock: clockid_t, out: *mut timespec) -> c_int {
    if moved(clock) && offset() > 0 {
        sleep_real(FAST_READ);
    }
    // SAFETY: the caller's pointer, as the C library's function takes it.
    unsafe {
        let call: unsafe extern "C" fn(clockid_t, *mut timespec) -> c_int =
            std::mem::transmute(real(&REAL_CLOCK, b"clock_gettime\0"));
        let done = call(clock, out);
        if done == 0 && moved(clock) && !out.is_null() {
            *out = time(nanos(&*out).saturating_add(offset()));
        }
        done
    }
}

/// Sleeps until the moved clock `clock` reads `deadline`, in slices;
/// `asked` is how long the sleep asked for. In fast time a sleep still
/// takes a real moment, as long as it asked for and at most
/// [`FAST_READ`]: a loop of short sleeps (a poll) sleeps each time round,
/// rather than spin with every sleep over at once. (`asked`, not what is
/// left of it: the moment between two readings of the fast clock is
/// already more than a short sleep.)
fn sleep_until(clock: clockid_t, deadline: i64, asked: i64) {
    if asked > 0 && offset() > 0 {
        sleep_real(asked.min(FAST_READ));
    }
    loop {
        let left = deadline.saturating_sub(real_now(clock).saturating_add(offset()));
        if left <= 0 {
            return;
        }
        sleep_real(left.min(SLICE));
    }
}

/// Sleeps `nanos` of real time, past this library's own `nanosleep`.
fn sleep_real(nanos: i64) {
    let span = time(nanos);
    // SAFETY: a relative sleep of the real clock, valid pointers.
    unsafe {
        libc::syscall(
            libc::SYS_clock_nanosleep,
            libc::CLOCK_MONOTONIC,
            0,
            &raw const span,
            std::ptr::null_mut::<timespec>(),
        );
    }
}

/// # Safety
/// As the C library's `nanosleep`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nanosleep(wanted: *const timespec, _left: *mut timespec) -> c_int {
    // SAFETY: the caller's pointer.
    let wanted = unsafe { nanos(&*wanted) };
    sleep_until(
        libc::CLOCK_MONOTONIC,
        real_now(libc::CLOCK_MONOTONIC)
            .saturating_add(offset())
            .saturating_add(wanted),
        wanted,
    );
    0
}

/// # Safety
/// As the C library's `clock_nanosleep`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn clock_nanosleep(
    clock: clockid_t,
    flags: c_int,
    wanted: *const timespec,
    _left: *mut timespec,
) -> c_int {
    // SAFETY: the caller's pointer.
    let wanted = unsafe { nanos(&*wanted) };
    let now = real_now(clock).saturating_add(offset());
    let (deadline, asked) = if flags & libc::TIMER_ABSTIME != 0 {
        (wanted, wanted.saturating_sub(now))
    } else {
        (now.saturating_add(wanted), wanted)
    };
    sleep_until(clock, deadline, asked);
    0
}

/// `GRADING_WAKE_PAUSE` in nanoseconds, read once; -1 before.
static WAKE_PAUSE: AtomicI64 = AtomicI64::new(-1);

/// `GRADING_SPAWN_PAUSE` in nanoseconds, read once; -1 before.
static SPAWN_PAUSE: AtomicI64 = AtomicI64::new(-1);

/// Sleeps `GRADING_WAKE_PAUSE` microseconds of real time, if it is set.
fn pause_after_wake() {
    pause_as(&WAKE_PAUSE, c"GRADING_WAKE_PAUSE");
}

/// Sleeps the microseconds of real time the variable `name` gives (read
/// once, into `slot`), if it is set.
fn pause_as(slot: &AtomicI64, name: &std::ffi::CStr) {
    let mut pause = slot.load(Ordering::Relaxed);
    if pause < 0 {
        // SAFETY: getenv's result is a NUL-terminated string or null.
        pause = unsafe {
            let value = libc::getenv(name.as_ptr());
            if value.is_null() {
                0
            } else {
                std::ffi::CStr::from_ptr(value)
                    .to_str()
                    .ok()
                    .and_then(|text| text.parse::<i64>().ok())
                    .map_or(0, |micros| micros.saturating_mul(1000))
            }
        };
        slot.store(pause, Ordering::Relaxed);
    }
    if pause > 0 {
        sleep_real(pause);
    }
}

static REAL_CREATE: AtomicUsize = AtomicUsize::new(0);

/// What a thread runs, as `pthread_create` takes it.
type Start = extern "C" fn(*mut std::ffi::c_void) -> *mut std::ffi::c_void;

/// The C library's `pthread_create`; then, where `GRADING_SPAWN_PAUSE`
/// asks, the thread that started the new one pauses, so that the new one
/// runs first: a program whose `main` prepares what its threads need only
/// after it starts them (a hook set, a sender handed over) shows it.
///
/// # Safety
/// As the C library's `pthread_create`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pthread_create(
    thread: *mut libc::pthread_t,
    attributes: *const libc::pthread_attr_t,
    start: Start,
    argument: *mut std::ffi::c_void,
) -> c_int {
    let real = real(&REAL_CREATE, b"pthread_create\0");
    // SAFETY: dlsym found the C library's `pthread_create`, of this type.
    let real: unsafe extern "C" fn(
        *mut libc::pthread_t,
        *const libc::pthread_attr_t,
        Start,
        *mut std::ffi::c_void,
    ) -> c_int = unsafe { std::mem::transmute(real) };
    // SAFETY: the caller's arguments.
    let made = unsafe { real(thread, attributes, start, argument) };
    if made == 0 {
        pause_as(&SPAWN_PAUSE, c"GRADING_SPAWN_PAUSE");
    }
    made
}

/// The C library's `syscall`.
fn real_syscall() -> unsafe extern "C" fn(c_long, ...) -> c_long {
    // SAFETY: dlsym found the C library's `syscall`, of this type.
    unsafe { std::mem::transmute(real(&REAL_SYSCALL, b"syscall\0")) }
}

/// # Safety
/// As the C library's `syscall`, for the calls Rust's standard library
/// makes: six integer or pointer arguments (a variadic call passes them
/// as these on Linux's x86-64 and AArch64).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn syscall(
    number: c_long,
    a1: c_long,
    a2: c_long,
    a3: c_long,
    a4: c_long,
    a5: c_long,
    a6: c_long,
) -> c_long {
    let op = (a2 as c_int) & libc::FUTEX_CMD_MASK;
    let futex = number == libc::SYS_futex;
    let timed = futex && a4 != 0 && (op == libc::FUTEX_WAIT || op == libc::FUTEX_WAIT_BITSET);
    if !timed {
        // SAFETY: the C library's syscall, with the caller's arguments.
        let done = unsafe { real_syscall()(number, a1, a2, a3, a4, a5, a6) };
        if futex && done > 0 && (op == libc::FUTEX_WAKE || op == libc::FUTEX_WAKE_BITSET) {
            pause_after_wake();
        }
        return done;
    }
    let clock = if (a2 as c_int) & libc::FUTEX_CLOCK_REALTIME != 0 {
        libc::CLOCK_REALTIME
    } else {
        libc::CLOCK_MONOTONIC
    };
    // SAFETY: a timed futex wait's timeout, as the caller passed it.
    let given = unsafe { nanos(&*(a4 as *const timespec)) };
    // FUTEX_WAIT's timeout is relative; FUTEX_WAIT_BITSET's a deadline.
    let deadline = if op == libc::FUTEX_WAIT {
        real_now(clock)
            .saturating_add(offset())
            .saturating_add(given)
    } else {
        given
    };
    // Each slice is a FUTEX_WAIT_BITSET on the real monotonic clock.
    let flags = (a2 as c_int) & !libc::FUTEX_CMD_MASK & !libc::FUTEX_CLOCK_REALTIME;
    let bitset = if op == libc::FUTEX_WAIT { !0 } else { a6 };
    loop {
        let now = real_now(libc::CLOCK_MONOTONIC);
        let left = deadline.saturating_sub(real_now(clock).saturating_add(offset()));
        if left <= 0 {
            // SAFETY: errno is this thread's.
            unsafe { *libc::__errno_location() = libc::ETIMEDOUT };
            return -1;
        }
        let until = time(now + left.min(SLICE));
        // SAFETY: the caller's futex word and value, a valid timeout.
        let done = unsafe {
            real_syscall()(
                number,
                a1,
                (flags | libc::FUTEX_WAIT_BITSET) as c_long,
                a3,
                &raw const until as c_long,
                a5,
                bitset,
            )
        };
        // SAFETY: errno is this thread's.
        if done == 0 || unsafe { *libc::__errno_location() } != libc::ETIMEDOUT {
            return done;
        }
    }
}
