//! The exercises keep their promise: every solution passes its grading,
//! and every learner's file, as given, fails it for the reason it was
//! written for, and names the chapter that teaches it. So an exercise
//! cannot rot into one that passes unsolved, or one that fails for
//! another reason.

use harness::grading::{EXERCISES, Exercise, build, grade, runs};

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
