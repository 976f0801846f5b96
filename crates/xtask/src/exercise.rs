//! `cargo xtask exercise`: the list of exercises with their state, or the
//! grading of one.

use harness::grading::{EXERCISES, Exercise, build, grade, named, runs};

/// Lists the exercises (`name` is `None`), or grades exercise `name`: its
/// learner's file, or with `solution` its solution.
pub fn exercise(name: Option<&str>, solution: bool) -> Result<(), String> {
    let Some(name) = name else {
        list();
        return Ok(());
    };
    let exercise = named(name).ok_or_else(|| {
        let names: Vec<&str> = EXERCISES.iter().map(|e| e.name).collect();
        format!("no exercise {name}; there are: {}", names.join(", "))
    })?;
    let what = if solution { "solution" } else { "exercise" };
    println!(
        "grading the {what} {name}: {} runs, each within {} s",
        runs(&exercise).len(),
        harness::grading::HANG_BOUND.as_secs()
    );
    let exe = build(&exercise, solution)?;
    let passed = grade(&exercise, &exe, solution)?;
    println!("{name}: all {passed} runs kept every rule. Solved.");
    Ok(())
}

/// Each exercise, whether the learner's file passes, and the page it
/// practises. Each is graded to know (all at once: a hung run takes the
/// hang bound).
fn list() {
    let bound = harness::grading::HANG_BOUND.as_secs();
    eprintln!("grading every exercise to see which are solved (up to {bound} s)...");
    let states: Vec<&str> = std::thread::scope(|scope| {
        let graded: Vec<_> = EXERCISES
            .iter()
            .map(|exercise| scope.spawn(|| state(exercise)))
            .collect();
        graded
            .into_iter()
            .map(|g| g.join().unwrap_or("?"))
            .collect()
    });
    println!("{:<17} {:<7} chapter", "exercise", "state");
    for (exercise, state) in EXERCISES.iter().zip(states) {
        println!(
            "{:<17} {state:<7} book/src/{}",
            exercise.name, exercise.chapter
        );
    }
    println!("\nGrade one: cargo xtask exercise NAME (--solution for its solution)");
}

/// `solved` if the learner's file passes its grading, else `to do`.
fn state(exercise: &Exercise) -> &'static str {
    let solved = build(exercise, false).and_then(|exe| grade(exercise, &exe, false));
    if solved.is_ok() { "solved" } else { "to do" }
}
