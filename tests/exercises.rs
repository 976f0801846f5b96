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
