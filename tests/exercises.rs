//! The exercises keep their promise: every solution passes its grading,
//! and every learner's file, as given, fails it for the reason it was
//! written for, and names the chapter that teaches it. So an exercise
//! cannot rot into one that passes unsolved, or one that fails for
//! another reason.

use harness::grading::{EXERCISES, Exercise, build, grade, runs};

/// A page of the book, by its name in `book/src/`.
fn page(name: &str) -> String {
    let path = harness::grading::folder().join("../book/src").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Grades exercise `exercise` (or its solution) as `cargo xtask exercise`
/// does.
fn graded(exercise: &Exercise, solution: bool) -> Result<usize, String> {
    build(exercise, solution).and_then(|exe| grade(exercise, &exe, solution))
}

#[test]
#[ignore = "slow (grades every exercise): cargo test --workspace -- --ignored"]
fn every_solution_passes_its_grading() {
    for exercise in EXERCISES {
        let passed = graded(&exercise, true)
            .unwrap_or_else(|why| panic!("the solution of {}: {why}", exercise.name));
        assert_eq!(passed, runs(&exercise).len(), "{}", exercise.name);
    }
    // The book shows `sentinel` graded once solved: that is what grading
    // says of its solution.
    let shown = page("outputs/exercise-sentinel-solved.md");
    let runs = runs(&harness::grading::named("sentinel").expect("sentinel")).len();
    let solved = format!("sentinel: all {runs} runs kept every rule. Solved.");
    assert!(
        shown.contains(&solved),
        "the book's solved grading lacks {solved:?}"
    );
}

/// A stall run's gap ends as soon as every other thread waits for
/// another with no timeout: nothing can happen before the stalled thread
/// goes on, so a program that blocks, as the solutions do, is not held
/// for the half minute a program that polls is (25 s here is a hang's
/// bound, not a speed).
#[test]
#[ignore = "slow (builds and runs an exercise): cargo test --workspace -- --ignored"]
fn a_stall_ends_once_every_other_thread_waits_for_another() {
    let exercise = harness::grading::named("drop_the_sender").expect("drop_the_sender");
    let exe = build(&exercise, true).expect("its solution builds");
    for who in ["consumer:5", "producer-1:5"] {
        let mut settings = exercise.shape.settings(1);
        settings.capacity = Some(1);
        settings.time_scale = 0.0;
        let mut flags = exercise.shape.args(&settings);
        flags.extend(["--stall".to_string(), who.to_string()]);
        let started = std::time::Instant::now();
        harness::grading::run_with(&exercise, &exe, &flags)
            .unwrap_or_else(|why| panic!("--stall {who}: {why}"));
        let took = started.elapsed();
        assert!(
            took < std::time::Duration::from_secs(25),
            "--stall {who} held the run {took:?}: its gap did not end when every other thread waited"
        );
    }
}

/// Once a stall run's gap begins, its clock runs thirty thousand times as
/// fast, so each of a polling loop's short timed waits is over at once:
/// the `stop_flag` solution's consumers, which wait 5 ms for an item and
/// then look at the flag, would spin for the three seconds the gap lasts,
/// on every core (5.6 s of CPU on two). Each read of the fast clock
/// pauses instead, so the run uses half a second. The run is measured in a process
/// of its own (this test, run again), as a process counts the CPU of all
/// its children together.
#[test]
#[ignore = "slow (builds and runs an exercise): cargo test --workspace -- --ignored"]
fn a_loop_of_timed_waits_does_not_spin_through_a_stall() {
    const MEASURING: &str = "EXERCISES_MEASURE_A_STALL";
    let exercise = harness::grading::named("stop_flag").expect("stop_flag");
    let exe = build(&exercise, true).expect("its solution builds");
    if std::env::var_os(MEASURING).is_some() {
        let mut settings = exercise.shape.settings(1);
        settings.stall = Some(("producer".to_string(), 5));
        let flags = exercise.shape.args(&settings);
        let before = children_cpu();
        harness::grading::run_with(&exercise, &exe, &flags)
            .unwrap_or_else(|why| panic!("{}: {why}", flags.join(" ")));
        let used = children_cpu().saturating_sub(before);
        println!("cpu: {} ms", used.as_millis());
        return;
    }
    let measured = std::process::Command::new(std::env::current_exe().expect("this test"))
        .args([
            "--exact",
            "a_loop_of_timed_waits_does_not_spin_through_a_stall",
        ])
        .args(["--ignored", "--nocapture"])
        .env(MEASURING, "1")
        .output()
        .expect("the test runs again");
    let out = String::from_utf8_lossy(&measured.stdout);
    let millis: u64 = out
        .lines()
        .find_map(|line| {
            line.strip_prefix("cpu: ")?
                .strip_suffix(" ms")?
                .parse()
                .ok()
        })
        .unwrap_or_else(|| {
            panic!(
                "no measure: {out}{}",
                String::from_utf8_lossy(&measured.stderr)
            )
        });
    assert!(
        millis < 2000,
        "a stall run of stop_flag's solution used {millis} ms of CPU: its consumers spun"
    );
}

/// The CPU this process's ended children used, user and system.
fn children_cpu() -> std::time::Duration {
    use nix::sys::resource::{UsageWho, getrusage};
    let usage = getrusage(UsageWho::RUSAGE_CHILDREN).expect("getrusage");
    let time = |t: nix::sys::time::TimeVal| {
        std::time::Duration::from_secs(t.tv_sec().unsigned_abs())
            + std::time::Duration::from_micros(t.tv_usec().unsigned_abs())
    };
    time(usage.user_time()) + time(usage.system_time())
}

/// In a run with `--jitter`, a thread that wakes another pauses (the
/// grading clock's `GRADING_WAKE_PAUSE`), so the woken one acts first. An
/// answer whose producers notify before they count themselves finished
/// (from the corpus) hangs in such runs, where without the pause it hangs
/// once in a million. How many of them hang depends on the machine: a
/// woken thread that waits longer than the pause for a core (beside CI's
/// other tests) comes too late, and that run passes. So: five runs, at
/// least one hangs, and none fails in any other way.
#[test]
#[ignore = "slow (builds the corpus): cargo test --workspace -- --ignored"]
fn a_thread_that_wakes_another_pauses_so_an_early_notify_shows() {
    let exercise = harness::grading::named("drop_the_sender").expect("drop_the_sender");
    let file = harness::grading::folder().join("corpus/drop_the_sender/wrong_13.rs");
    let source = std::fs::read_to_string(&file).expect("the answer is there");
    assert!(source.contains("ring the Condvar before they count themselves finished"));
    let built = harness::grading::build_corpus().expect("the corpus builds");
    let exe = built.join(harness::grading::corpus_bin(&exercise, &file));
    let mut hung = 0;
    for seed in 5..=9 {
        let mut settings = exercise.shape.settings(seed);
        settings.time_scale = 0.004;
        settings.jitter = true;
        let flags = exercise.shape.args(&settings);
        match harness::grading::run_with(&exercise, &exe, &flags) {
            Ok(()) => {}
            Err(why) if why.starts_with("hung") => hung += 1,
            Err(why) => panic!("{} {}: {why}", exe.display(), flags.join(" ")),
        }
    }
    assert!(hung > 0, "none of five runs with --jitter hung");
}

/// The exercises come in the book's order, and the exercises page gives
/// each one's section in that order, with what it practises and how hard
/// it is, as grading knows them.
#[test]
fn the_exercises_follow_the_book_and_say_what_they_practise() {
    let summary = page("SUMMARY.md");
    let place = |chapter: &str| {
        summary
            .find(&format!("]({chapter})"))
            .unwrap_or_else(|| panic!("{chapter} is not in the summary"))
    };
    let places: Vec<usize> = EXERCISES.iter().map(|e| place(e.chapter)).collect();
    assert!(
        places.windows(2).all(|pair| pair[0] <= pair[1]),
        "EXERCISES is not in the book's order"
    );
    let text = page("exercises.md");
    let counts: Vec<usize> = EXERCISES.iter().map(|e| runs(e).len()).collect();
    let said = format!(
        "(from {} to {}: more where there can be several threads, and where a program must \
         survive a thread's panic)",
        counts.iter().min().expect("exercises"),
        counts.iter().max().expect("exercises")
    );
    let squeezed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        squeezed.contains(&said),
        "exercises.md does not say {said:?}"
    );
    let mut at = 0;
    for exercise in EXERCISES {
        let heading = format!("\n## {}\n", exercise.name);
        let found = text[at..]
            .find(&heading)
            .unwrap_or_else(|| panic!("exercises.md: no {heading:?} after the one before"));
        at += found + heading.len();
        let section = text[at..].split("\n## ").next().unwrap_or_default();
        let said = format!("Level {} of 3: {}.", exercise.level, exercise.practises);
        assert!(
            section
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .contains(&said),
            "exercises.md's {} section does not say {said:?}",
            exercise.name
        );
        assert!((1..=3).contains(&exercise.level));
    }
}

#[test]
#[ignore = "slow (grades every exercise): cargo test --workspace -- --ignored"]
fn every_exercise_fails_for_its_reason_and_says_how_to_repeat_it() {
    // All at once: each hung run takes the hang bound.
    std::thread::scope(|scope| {
        for exercise in EXERCISES {
            scope.spawn(move || {
                let why = graded(&exercise, false)
                    .expect_err(&format!("{} passes unsolved", exercise.name));
                assert!(
                    why.contains(exercise.fails_with),
                    "{} fails for another reason: {why}",
                    exercise.name
                );
                if exercise.name == "sentinel" {
                    assert_shown_in_the_book(&why);
                }
                if exercise.fails_with != "does not compile" {
                    let again = format!("--bin {} -- ", exercise.name);
                    assert!(why.contains(&again), "{}: {why}", exercise.name);
                }
            });
        }
    });
}

#[test]
fn every_exercise_has_its_files_and_links_its_chapter_both_ways() {
    let folder = harness::grading::folder();
    let book = folder.join("../book/src");
    for exercise in EXERCISES {
        let dir = folder.join(exercise.name);
        for file in ["exercise.rs", "solution.rs", "hint.md"] {
            assert!(dir.join(file).is_file(), "{}: no {file}", exercise.name);
        }
        let text = std::fs::read_to_string(dir.join("exercise.rs")).expect("the exercise");
        let chapter = format!("book/src/{}", exercise.chapter);
        assert!(
            text.contains(&chapter),
            "{} never names {chapter}",
            exercise.name
        );
        let page = std::fs::read_to_string(book.join(exercise.chapter)).expect("the chapter");
        let link = format!("exercises.md#{}", exercise.name);
        assert!(page.contains(&link), "{chapter} never links {link}");
    }
}

/// The book shows `sentinel` graded as it is given: that text must be
/// what grading says.
fn assert_shown_in_the_book(why: &str) {
    let file = harness::grading::folder().join("../book/src/outputs/exercise-sentinel-report.md");
    let shown = std::fs::read_to_string(&file).expect("the book's output");
    for line in why.lines() {
        assert!(
            shown.contains(line),
            "{} lacks {line:?}: write it anew with \
             `cargo xtask exercise sentinel > ... 2>&1`",
            file.display()
        );
    }
}

/// The corpus holds answers a learner might write, for every exercise: at
/// least four wrong and two right, each saying in its first line what it
/// does (`//! Wrong: ...` or `//! Right: ...`); and its manifest builds
/// every one of them, so that none is left out of the grading below.
#[test]
fn the_corpus_has_wrong_and_right_answers_for_every_exercise() {
    let folder = harness::grading::folder().join("corpus");
    let manifest = std::fs::read_to_string(folder.join("Cargo.toml")).expect("the manifest");
    let answers = harness::grading::corpus();
    for exercise in EXERCISES {
        let of = |right: bool| {
            answers
                .iter()
                .filter(|(e, _, r)| e.name == exercise.name && *r == right)
                .count()
        };
        assert!(
            of(false) >= 4,
            "{}: {} wrong answers",
            exercise.name,
            of(false)
        );
        assert!(
            of(true) >= 2,
            "{}: {} right answers",
            exercise.name,
            of(true)
        );
    }
    // Each answer is a program of its own: two that differ only in their
    // comments or blank lines would be graded alike, at twice the cost.
    let mut programs = std::collections::HashMap::new();
    for (exercise, file, right) in &answers {
        let text = std::fs::read_to_string(file).expect("an answer");
        let code: Vec<&str> = text
            .lines()
            .map(|line| line.split("//").next().unwrap_or_default().trim_end())
            .filter(|line| !line.is_empty())
            .collect();
        if let Some(first) = programs.insert((exercise.name, code.join("\n")), file) {
            panic!(
                "{} is {} again, comments aside: keep one",
                file.display(),
                first.display()
            );
        }
        let says = if *right { "//! Right: " } else { "//! Wrong: " };
        assert!(
            text.starts_with(says),
            "{} must start with {says:?}",
            file.display()
        );
        let bin = harness::grading::corpus_bin(exercise, file);
        let stem = file.file_stem().and_then(|s| s.to_str()).expect("a name");
        let entry = format!("name = \"{bin}\"\npath = \"{}/{stem}.rs\"", exercise.name);
        assert!(
            manifest.contains(&entry),
            "exercises/corpus/Cargo.toml lacks {bin}"
        );
    }
}

/// Solved means solved: grading refuses every wrong answer of the corpus
/// and accepts every right one. Prints what
/// grading said of each.
#[test]
#[ignore = "slow (grades every answer of the corpus): cargo test --workspace -- --ignored"]
fn grading_refuses_every_wrong_answer_and_accepts_every_right_one() {
    let built = harness::grading::build_corpus().expect("the corpus builds");
    let answers = harness::grading::corpus();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results = std::sync::Mutex::new(Vec::new());
    // Eight answers at once, each grading running four programs at a
    // time: their programs mostly wait (on the items' simulated work, and
    // on the gaps), so that on two cores the grading of all of them is
    // bound by those waits. At eight, its threads use one and a half
    // cores, and every verdict holds beside two busy loops too.
    std::thread::scope(|scope| {
        for _ in 0..8 {
            scope.spawn(|| {
                loop {
                    let n = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some((exercise, file, right)) = answers.get(n) else {
                        break;
                    };
                    let started = std::time::Instant::now();
                    let graded = harness::grading::grade_corpus(exercise, file, &built);
                    results.lock().expect("no grading panics").push((
                        n,
                        file.clone(),
                        *right,
                        graded,
                        started.elapsed(),
                    ));
                }
            });
        }
    });
    let mut results = results.into_inner().expect("no grading panics");
    results.sort_by_key(|r| r.0);
    let mut wrong = Vec::new();
    for (_, file, right, graded, took) in &results {
        let name = file
            .strip_prefix(harness::grading::folder())
            .unwrap_or(file);
        let said = match graded {
            Ok(runs) => format!("solved ({runs} runs)"),
            // A first line that ends in a colon ("the run broke the
            // rules:") says what only with the next.
            Err(why) => {
                let mut lines = why.lines();
                let first = lines.next().unwrap_or_default();
                match lines.next() {
                    Some(next) if first.ends_with(':') => format!("{first} {next}"),
                    _ => first.to_string(),
                }
            }
        };
        eprintln!(
            "{:<40} {:>5.1} s  {said}",
            name.display(),
            took.as_secs_f64()
        );
        match (right, graded) {
            (true, Err(why)) => {
                eprintln!("\n{} is right, and refused:\n{why}\n", name.display());
                wrong.push(format!("{} is right, and refused: {said}", name.display()));
            }
            (false, Ok(_)) => {
                wrong.push(format!("{} is wrong, and graded solved", name.display()));
            }
            _ => {}
        }
    }
    // One line an answer, last: a long log is cut in its middle, and the
    // answers that went wrong must still be seen (each refusal's whole
    // message is above, after its line).
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// A failure that depends on timing can be repeated until it fails: the
/// command grading gives does so, and says which run failed and why.
#[test]
#[ignore = "slow (builds and runs an exercise): cargo test --workspace -- --ignored"]
fn until_fails_repeats_a_run_until_it_breaks_a_rule() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let root = harness::grading::folder().join("..");
    let mut command = std::process::Command::new(cargo);
    command.current_dir(&root).args([
        "run",
        "-q",
        "-p",
        "xtask",
        "--",
        "exercise",
        "stop_flag",
        "--until-fails",
        "--",
        "--consumers",
        "3",
        "--seed",
        "1",
        "--time-scale",
        "0",
    ]);
    command
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let ran =
        harness::testing::run_within(command, "until-fails", std::time::Duration::from_secs(600));
    let said = [ran.stdout, ran.stderr].concat();
    let said = String::from_utf8_lossy(&said);
    assert!(!ran.status.success(), "{:?}: {said}", ran.status);
    assert!(said.contains("failed: the run broke the rules"), "{said}");
    assert!(said.contains("was never consumed"), "{said}");
}
