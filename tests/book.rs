//! The book's own tests: every include resolves to non-empty code, every
//! page in `SUMMARY.md` exists, and every output it shows keeps the rules.
//! They need no mdBook, so they run with the rest of `cargo test`.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use harness::events::parse_output;
use harness::programs::{BOOK_RUNS, PROGRAMS, Shows};
use harness::settings::parse;
use harness::{Event, Settings, What, check_printed};

fn book_src() -> PathBuf {
    harness::programs::workspace_root().join("book/src")
}

fn pages() -> Vec<PathBuf> {
    let mut pages: Vec<PathBuf> = fs::read_dir(book_src())
        .expect("book/src exists")
        .map(|entry| entry.expect("readable entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .collect();
    pages.sort();
    pages
}

/// The `{{#include ...}}` and `{{#rustdoc_include ...}}` directives in a
/// page, as (path, anchor or line range); escaped ones (`\{{`) are skipped.
fn includes(page: &str) -> Vec<(String, Option<String>)> {
    let mut found = Vec::new();
    let mut rest = page;
    while let Some(start) = rest.find("{{#") {
        let escaped = rest[..start].ends_with('\\');
        let after = &rest[start + 3..];
        let Some(end) = after.find("}}") else { break };
        let directive = &after[..end];
        rest = &after[end..];
        if escaped {
            continue;
        }
        let Some(target) = directive
            .strip_prefix("include ")
            .or_else(|| directive.strip_prefix("rustdoc_include "))
        else {
            continue;
        };
        let target = target.trim();
        match target.split_once(':') {
            Some((path, anchor)) => found.push((path.to_string(), Some(anchor.to_string()))),
            None => found.push((target.to_string(), None)),
        }
    }
    found
}

/// The lines between `ANCHOR: name` and `ANCHOR_END: name`, without other
/// anchor lines; `None` if the anchor is not there.
fn anchored(source: &str, name: &str) -> Option<String> {
    let start = format!("ANCHOR: {name}");
    let end = format!("ANCHOR_END: {name}");
    let mut lines = source
        .lines()
        .skip_while(|l| !l.trim_end().ends_with(&start));
    lines.next()?;
    let mut body = String::new();
    for line in lines {
        if line.trim_end().ends_with(&end) {
            return Some(body);
        }
        if !line.contains("ANCHOR") {
            body.push_str(line);
            body.push('\n');
        }
    }
    None
}

/// What an include shows, or why it shows nothing.
fn resolve(page: &Path, path: &str, anchor: Option<&str>) -> Result<String, String> {
    let file = page.parent().expect("page in a folder").join(path);
    let source = fs::read_to_string(&file).map_err(|e| format!("{path}: {e}"))?;
    let shown = match anchor {
        None => source,
        // A line range such as `3:10` or `5:`; the book uses anchors only.
        Some(range) if range.starts_with(|c: char| c.is_ascii_digit()) => {
            return Err(format!("{path}:{range}: use an anchor, not line numbers"));
        }
        Some(name) => anchored(&source, name).ok_or(format!("{path}: no anchor {name:?}"))?,
    };
    if shown.trim().is_empty() {
        return Err(format!("{path}:{}: shows nothing", anchor.unwrap_or("")));
    }
    Ok(shown)
}

#[test]
fn every_include_shows_code() {
    let mut checked = 0;
    for page in pages() {
        let text = fs::read_to_string(&page).expect("readable page");
        for (path, anchor) in includes(&text) {
            if let Err(problem) = resolve(&page, &path, anchor.as_deref()) {
                panic!("{}: {problem}", page.display());
            }
            checked += 1;
        }
    }
    assert!(checked >= 20, "only {checked} includes found");
}

#[test]
fn every_summary_entry_has_its_page() {
    let summary = fs::read_to_string(book_src().join("SUMMARY.md")).expect("SUMMARY.md");
    let mut entries = 0;
    for link in summary.split("](").skip(1) {
        let target = link.split(')').next().expect("a closing parenthesis");
        assert!(
            book_src().join(target).is_file(),
            "SUMMARY.md names {target}, which is missing"
        );
        entries += 1;
    }
    assert_eq!(
        entries,
        pages().len() - 1,
        "every page but SUMMARY.md is in SUMMARY.md"
    );
}

#[test]
fn every_output_keeps_the_rules() {
    let dir = book_src().join("outputs");
    for run in BOOK_RUNS.iter().filter(|run| run.shows == Shows::Lines) {
        let path = dir.join(format!("{}.txt", run.file));
        let text = fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: {e}: cargo xtask book-outputs", path.display()));
        let (command, output) = text.split_once('\n').expect("a command line, then output");
        let section = harness::programs::named(run.program).expect("a program of the table");
        assert_eq!(
            command,
            format!("$ {}", section.command_with(run.args)),
            "{}",
            path.display()
        );
        let config = parse(&section, run.args.split_whitespace())
            .unwrap_or_else(|e| panic!("{}: {} is not a run: {e}", path.display(), run.args));
        let events = parse_output(output).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        harness::testing::assert_kept(&section, &config, &events, &path.display().to_string());
        assert_timeline_matches(&path.with_extension("svg"), &config, &events);
    }
}

/// Every file in `book/src/outputs/` is made by a run of the table (or by
/// the exercise grading the book shows, or the polling-cost table), so no
/// output is left over from a run that no longer exists.
#[test]
fn every_output_file_comes_from_a_run_of_the_table() {
    let made_elsewhere = [
        "exercise-sentinel-report.md",
        "exercise-sentinel-solved.md",
        "event_timeout-cost.md",
    ];
    for entry in fs::read_dir(book_src().join("outputs")).expect("book/src/outputs") {
        let name = entry.expect("an entry").file_name();
        let name = name.to_str().expect("a UTF-8 name");
        let stem = name
            .trim_end_matches("-report.md")
            .trim_end_matches(".txt")
            .trim_end_matches(".log")
            .trim_end_matches(".svg");
        assert!(
            made_elsewhere.contains(&name) || BOOK_RUNS.iter().any(|run| run.file == stem),
            "book/src/outputs/{name} is made by no run of BOOK_RUNS"
        );
    }
}

/// Every program of the table is where a reader looks for it: a row of the
/// README's table, a row of the introduction's, a page in the summary,
/// and a link from the choosing chapter.
#[test]
fn every_program_is_in_the_readme_the_summary_and_the_choosing_chapter() {
    let root = harness::programs::workspace_root();
    let read = |path: &Path| fs::read_to_string(path).expect("a file");
    let readme = read(&root.join("README.md"));
    let summary = read(&book_src().join("SUMMARY.md"));
    let introduction = read(&book_src().join("introduction.md"));
    let choosing = read(&book_src().join("choosing.md"));
    let mut missing = Vec::new();
    for program in PROGRAMS {
        let name = program.name;
        for (file, text) in [("README.md", &readme), ("introduction.md", &introduction)] {
            if !in_a_table(text, name) {
                missing.push(format!(
                    "{file}'s table of programs has no row for `{name}`"
                ));
            }
        }
        if !summary.contains(&format!("]({})", program.page)) {
            missing.push(format!(
                "SUMMARY.md has no page {} for {name}",
                program.page
            ));
        }
        // The four sections on tokio have one row, linking their page.
        let linked = choosing.contains(&format!("[`{name}`]("))
            || (program.one_thread && choosing.contains(&format!("]({})", program.page)));
        if !linked {
            missing.push(format!("choosing.md never links `{name}`"));
        }
    }
    let count = PROGRAMS.len();
    for (file, text) in [("README.md", &readme), ("introduction.md", &introduction)] {
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        for word in ["sixteen", "twenty-one", "twenty-three"] {
            if text.contains(&format!("{word} programs")) || text.contains(&format!("all {word}")) {
                missing.push(format!(
                    "{file} counts the programs in words; there are {count}"
                ));
            }
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

/// Whether a row of a Markdown table in `text` names `name` in its first
/// cell (`` `name` `` or `` `--example name` ``).
fn in_a_table(text: &str, name: &str) -> bool {
    text.lines()
        .filter_map(|line| line.strip_prefix("| "))
        .filter_map(|row| row.split(" | ").next())
        .any(|cell| cell.contains(&format!("`{name}`")) || cell.contains(&format!(" {name}`")))
}

/// A test marked `#[ignore]` runs only where it is asked for: a slow one
/// (`#[ignore = "slow ..."]`) in a test binary that `.ci/run` names, any
/// other in the test its reason names (`"run by ..."`).
#[test]
fn every_slow_test_runs_in_ci() {
    let root = harness::programs::workspace_root();
    let ci = fs::read_to_string(root.join(".ci/run")).expect(".ci/run");
    // The line `for name in copy stress exercises; do` lists them.
    let slow: Vec<&str> = ci
        .lines()
        .find_map(|line| line.trim().strip_prefix("for name in "))
        .and_then(|rest| rest.strip_suffix("; do"))
        .expect(".ci/run lists the slow test binaries")
        .split_whitespace()
        .collect();
    let mut folders = vec![root.join("tests")];
    for entry in fs::read_dir(root.join("crates")).expect("crates/") {
        let krate = entry.expect("an entry").path();
        folders.extend([krate.join("tests"), krate.join("src")]);
    }
    for folder in folders {
        let Ok(entries) = fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries {
            let path = entry.expect("an entry").path();
            let text = fs::read_to_string(&path).unwrap_or_default();
            let name = path.file_stem().and_then(|n| n.to_str()).expect("a name");
            let in_suite = folder == root.join("tests");
            for line in text.lines().map(str::trim_start) {
                if !line.starts_with("#[ignore") {
                    continue;
                }
                // A slow test runs in CI; any other ignored test says which
                // test runs it.
                let runs = if line.starts_with("#[ignore = \"slow") {
                    in_suite && slow.contains(&name)
                } else {
                    line.contains("run by ")
                };
                assert!(runs, "{}: {line} never runs", path.display());
            }
        }
    }
}

/// Each file in `tests/` is a test binary of the suite's package: one left
/// out of `tests/Cargo.toml` would never run.
#[test]
fn every_test_file_is_a_test_target() {
    let dir = harness::programs::workspace_root().join("tests");
    let manifest = fs::read_to_string(dir.join("Cargo.toml")).expect("tests/Cargo.toml");
    for entry in fs::read_dir(&dir).expect("tests/") {
        let path = entry.expect("an entry").path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .expect("a UTF-8 name");
        if path.extension().is_some_and(|ext| ext == "rs") {
            assert!(
                manifest.contains(&format!("path = \"{name}\"")),
                "tests/{name} is not a [[test]] of tests/Cargo.toml"
            );
        }
    }
}

/// The timeline drawn from the same run as an output shows what the output
/// says: the same threads, each consumer working on exactly the items it
/// printed, and each item named for the producer that made it.
fn assert_timeline_matches(svg: &Path, config: &Settings, events: &[Event]) {
    let text = fs::read_to_string(svg).unwrap_or_else(|e| panic!("{}: {e}", svg.display()));
    let document = roxmltree::Document::parse(&text).expect("a well-formed SVG");
    assert_items_named_for_their_producers(svg, config, &document);
    let mut drawn: Vec<String> = document
        .descendants()
        .filter(|node| node.attribute("class") == Some("working"))
        .filter_map(|node| node.children().find(|c| c.has_tag_name("title")))
        .filter_map(|title| title.text())
        .filter(|title| title.starts_with("Consumer"))
        .map(|title| {
            title
                .split(" from ")
                .next()
                .expect("a title")
                .replace(" works on ", " got ")
        })
        .collect();
    let mut printed: Vec<String> = events
        .iter()
        .filter_map(|event| match event.what {
            What::Got(item) => Some(format!("{} got {item}", event.actor)),
            _ => None,
        })
        .collect();
    drawn.sort();
    printed.sort();
    assert_eq!(
        drawn,
        printed,
        "{} does not show the run's items",
        svg.display()
    );
    let lanes = document
        .descendants()
        .filter(|node| node.attribute("class") == Some("lane"))
        .count();
    let threads: std::collections::HashSet<_> = events.iter().map(|event| event.actor).collect();
    assert_eq!(lanes, threads.len(), "{}", svg.display());
}

/// Whose item is it: each item drawn as work says which producer made it
/// (`data-item="p-i"`), and that producer's sequence, from the run's seed,
/// holds the item the span's title names; a producer's lane draws only
/// its own items; and an item has one colour in every lane, so a reader
/// can follow it from producer to consumer.
fn assert_items_named_for_their_producers(
    svg: &Path,
    config: &Settings,
    document: &roxmltree::Document,
) {
    let mut colour_of = HashMap::<String, String>::new();
    for lane in document
        .descendants()
        .filter(|node| node.attribute("class") == Some("lane"))
    {
        let actor = lane
            .attribute("data-actor")
            .expect("a lane names its thread");
        for span in lane
            .descendants()
            .filter(|node| node.attribute("class") == Some("working"))
        {
            let id = span.attribute("data-item").expect("work names its item");
            let (p, i) = id.split_once('-').expect("p-i");
            let (p, i): (usize, usize) = (p.parse().expect("p"), i.parse().expect("i"));
            let title = span
                .children()
                .find(|c| c.has_tag_name("title"))
                .and_then(|t| t.text())
                .expect("a title");
            let made = harness::item::expected_items(config.seed, p, config.items);
            let item = made
                .get(i)
                .unwrap_or_else(|| panic!("{}: no item {id}", svg.display()));
            assert!(
                title.contains(&format!(" works on {item} from ")),
                "{}: {actor}'s span {id} is titled {title:?}, but producer {p}'s item {i} is {item}",
                svg.display()
            );
            if actor.starts_with("Producer") {
                let own = actor.trim_start_matches("Producer").trim();
                assert!(
                    own.is_empty() || own == p.to_string(),
                    "{}: {actor} draws {id}",
                    svg.display()
                );
            } else if config.producers > 1 {
                assert!(
                    title.contains(&format!("made by Producer {p}")),
                    "{}: {title:?}",
                    svg.display()
                );
            }
            let fill = span.attribute("fill").expect("a fill").to_string();
            let first = colour_of.entry(id.to_string()).or_insert(fill.clone());
            assert_eq!(*first, fill, "{}: item {id} changes colour", svg.display());
        }
    }
}

#[test]
fn the_include_reader_finds_what_is_wrong() {
    let page = "a {{#include x.rs:one}} b \\{{#include skipped.rs}} c {{#rustdoc_include y.rs}}";
    assert_eq!(
        includes(page),
        [
            ("x.rs".to_string(), Some("one".to_string())),
            ("y.rs".to_string(), None)
        ]
    );
    let source = "// ANCHOR: full\nfn f() {}\n// ANCHOR_END: full\n// ANCHOR: empty\n\n// ANCHOR_END: empty\n";
    assert_eq!(anchored(source, "full").as_deref(), Some("fn f() {}\n"));
    assert_eq!(anchored(source, "empty").as_deref(), Some("\n"));
    assert_eq!(anchored(source, "missing"), None);
    assert_eq!(anchored("// ANCHOR: open\nfn f() {}\n", "open"), None);
    let page = book_src().join("testing.md");
    assert!(
        resolve(&page, "../../tests/book.rs", Some("nowhere"))
            .unwrap_err()
            .contains("no anchor")
    );
    assert!(resolve(&page, "missing.rs", None).is_err());
    let scratch = tempfile::tempdir().expect("a temporary folder");
    let dir = scratch.path();
    fs::write(dir.join("code.rs"), source).expect("temporary file");
    let page = dir.join("page.md");
    assert!(
        resolve(&page, "code.rs", Some("empty"))
            .unwrap_err()
            .contains("shows nothing")
    );
    assert!(
        resolve(&page, "code.rs", Some("3:5"))
            .unwrap_err()
            .contains("use an anchor")
    );
    assert_eq!(
        resolve(&page, "code.rs", Some("full")).as_deref(),
        Ok("fn f() {}\n")
    );
}

/// A Redis run the book shows with flags of its own (`--crash`,
/// `--maxlen`): its settings, its lines, and what it wrote on stderr.
fn redis_output(name: &str) -> (Settings, Vec<Event>, Vec<String>) {
    let path = book_src().join("outputs").join(format!("{name}.log"));
    let text = fs::read_to_string(&path).expect("the book's output");
    let (command, output) = text.split_once('\n').expect("a command line, then output");
    let args: Vec<&str> = command
        .split(" -- ")
        .nth(1)
        .expect("arguments")
        .split_whitespace()
        .collect();
    // Read by the program's own parser, its own flags (--crash, --maxlen)
    // included.
    let section = harness::programs::REDIS_STREAMS;
    let config = parse(&section, args.iter().copied())
        .unwrap_or_else(|e| panic!("{command}: not a run: {e}"));
    let events: Vec<Event> = output.lines().map_while(|line| line.parse().ok()).collect();
    let stderr = output
        .lines()
        .skip(events.len())
        .map(str::to_string)
        .collect();
    (config, events, stderr)
}

#[test]
fn the_redis_chapter_s_failure_outputs_are_real() {
    let section = harness::programs::REDIS_STREAMS;
    // A consumer died: nothing lost, its item reclaimed, and said so.
    let (config, events, stderr) = redis_output("redis-streams-crash");
    let verdict = check_printed(&section, &config, &events);
    assert!(verdict.is_ok(), "{verdict}");
    let reclaimed = events
        .iter()
        .filter(|e| matches!(e.what, What::Reclaimed(_)))
        .count();
    assert!(reclaimed >= 1);
    assert!(events.iter().any(|e| e.what == What::Killed));
    let many = if reclaimed == 1 { "" } else { "s" };
    assert_eq!(
        stderr,
        [format!(
            "redis-streams: {reclaimed} item{many} reclaimed from a consumer that died"
        )]
    );
    // MAXLEN: items vanished, exactly as many as the last line says, the
    // first it names the checker's first, and the chapter's report is that
    // line.
    let (config, events, stderr) = redis_output("redis-streams-maxlen");
    let mut missing = check_printed(&section, &config, &events).never_consumed;
    missing.sort_by_key(|&(p, item)| (p, item.i));
    let lost = missing.len();
    assert!(lost > 3);
    let (p, first) = missing[0];
    let line = &stderr[0];
    let said = format!(
        "redis-streams: {lost} items of {} added never processed: producer {p}'s ({}, {:?}), ",
        harness::section::total_items(&config),
        first.i,
        first.value
    );
    assert_eq!(stderr.len(), 1, "{stderr:?}");
    assert!(line.starts_with(&said), "{line} does not start {said:?}");
    assert!(line.ends_with(&format!(" and {} more", lost - 3)), "{line}");
    let report = fs::read_to_string(book_src().join("outputs/redis-streams-maxlen-report.md"))
        .expect("the report");
    assert_eq!(report, format!("```console\n{line}\n```\n"));
}

#[test]
fn every_shown_run_is_introduced_by_the_command_that_made_it() {
    // An output file's first line is the command that made it. A `cargo
    // run` command that the paragraph before the output names must be
    // that command, or the reader runs one thing and reads another.
    let mut wrong = Vec::new();
    for page in pages() {
        let text = fs::read_to_string(&page).expect("a page");
        for (path, _) in includes(&text) {
            if !path.starts_with("outputs/")
                || !matches!(
                    Path::new(&path).extension().and_then(|e| e.to_str()),
                    Some("txt" | "log")
                )
            {
                continue;
            }
            let output = fs::read_to_string(book_src().join(&path)).expect("an output");
            let first = output.lines().next().unwrap_or_default();
            let command = first.strip_prefix("$ ").unwrap_or(first);
            let at = text
                .find(&format!("{{{{#include {path}}}}}"))
                .expect("the include");
            let fence = text[..at].rfind("```").unwrap_or(at);
            let start = text[..fence].trim_end().rfind("\n\n").map_or(0, |i| i + 2);
            let paragraph = text[start..fence].replace('\n', " ");
            let named = paragraph
                .split('`')
                .skip(1)
                .step_by(2)
                .filter(|quoted| quoted.starts_with("cargo run"));
            for quoted in named {
                if quoted != command {
                    wrong.push(format!(
                        "{}: `{quoted}` before {path}, made by `{command}`",
                        page.display()
                    ));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// The text of a page's "## Copy it" section, up to the next section.
fn copy_section(text: &str) -> Option<&str> {
    let section = text.split_once("\n## Copy it\n")?.1;
    Some(section.split("\n## ").next().unwrap_or(section))
}

/// The `console` blocks of `text`, each without its fences.
fn console_blocks(text: &str) -> Vec<&str> {
    text.split("```console\n")
        .skip(1)
        .filter_map(|block| block.split("```").next())
        .collect()
}

/// The steps to copy a program are explained once, on `copying.md`:
/// every "Copy it" section links it, and the steps that page walks
/// through are the first program's own, which `tests/copy.rs` runs.
#[test]
fn copying_is_explained_once_with_steps_that_are_run() {
    let mut sections = 0;
    for page in pages() {
        let text = fs::read_to_string(&page).expect("a page");
        let Some(section) = copy_section(&text) else {
            continue;
        };
        sections += 1;
        assert!(
            section.contains("](copying.md)"),
            "{}: its Copy it section never links copying.md",
            page.display()
        );
        for repeated in [
            "makes `common` a module of your crate",
            "runs exactly these lines",
        ] {
            assert!(
                !section.contains(repeated),
                "{}: copying.md explains what {repeated:?} says",
                page.display()
            );
        }
    }
    assert!(sections >= 18, "only {sections} Copy it sections");
    let copying = fs::read_to_string(book_src().join("copying.md")).expect("copying.md");
    assert!(
        !copying.contains("## Copy it"),
        "copying.md has no steps of its own for tests/copy.rs to run"
    );
    let one_one = fs::read_to_string(book_src().join("one-one.md")).expect("one-one.md");
    let run = console_blocks(copy_section(&one_one).expect("one-one.md's Copy it"));
    assert_eq!(
        console_blocks(&copying),
        run,
        "copying.md walks through one-one.md's steps as they stand"
    );
}

/// Compiles the book's listing `name` (in `book/src/listings/`, as
/// rustc would a `main.rs`) after `edit`, into a scratch folder; returns
/// whether it compiled, and what rustc said.
fn compile_listing(name: &str, edit: impl Fn(String) -> String) -> (bool, String) {
    let source = fs::read_to_string(book_src().join("listings").join(name)).expect("a listing");
    let scratch = tempfile::tempdir().expect("a scratch folder");
    let file = scratch.path().join(name);
    fs::write(&file, edit(source)).expect("the listing, copied");
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_string());
    let mut command = std::process::Command::new(rustc);
    command
        .args(["--edition", "2024", "--color", "never"])
        .arg(name)
        .arg("-o")
        .arg(scratch.path().join("listing"))
        .current_dir(scratch.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let what = format!("rustc {name}");
    let done = harness::testing::run_within(command, &what, std::time::Duration::from_secs(120));
    let said = String::from_utf8_lossy(&done.stderr).into_owned();
    (done.status.success(), said)
}

/// The compiler error threads-and-channels.md shows is the one rustc
/// gives: each run of lines shown (a `...` stands for lines left out) is
/// a run of lines of what rustc says of the listing, in order. And the fix
/// the page names, `Arc` in place of `Rc`, compiles.
#[test]
fn the_compiler_error_the_book_shows_is_real() {
    let page = fs::read_to_string(book_src().join("threads-and-channels.md")).expect("the page");
    for include in [
        "```rust,compile_fail,E0277\n{{#include listings/rc_to_a_thread.rs:program}}",
        "{{#include listings/rc_to_a_thread.txt}}",
    ] {
        assert!(page.contains(include), "the page no longer shows {include}");
    }
    let (compiled, said) = compile_listing("rc_to_a_thread.rs", |source| source);
    assert!(!compiled, "rc_to_a_thread.rs compiles");
    let said_lines: Vec<&str> = said.lines().map(str::trim_end).collect();
    let shown = fs::read_to_string(book_src().join("listings/rc_to_a_thread.txt")).expect("shown");
    assert!(shown.starts_with("error[E0277]"), "{shown}");
    let mut from = 0;
    for run in shown.split("...\n") {
        let run: Vec<&str> = run.lines().map(str::trim_end).collect();
        let at = said_lines[from..]
            .windows(run.len())
            .position(|window| window == run.as_slice())
            .unwrap_or_else(|| panic!("the book shows {run:#?}; rustc says:\n{said}"));
        from += at + run.len();
    }
    let with_arc = |source: String| source.replace("use std::rc::Rc;", "use std::sync::Arc as Rc;");
    let (compiled, said) = compile_listing("rc_to_a_thread.rs", with_arc);
    assert!(compiled, "with Arc: {said}");
}

/// What threads-and-channels.md says of a channel's ends and of `Arc`,
/// checked by the compiler: this test builds only if it is true.
#[test]
fn the_channel_ends_are_send_and_sync_as_the_book_says() {
    fn shared_and_cloned<T: Send + Sync + Clone>() {}
    fn sent<T: Send>() {}
    shared_and_cloned::<flume::Sender<common::Message>>();
    shared_and_cloned::<flume::Receiver<common::Message>>();
    sent::<std::sync::mpsc::Receiver<common::Message>>();
    shared_and_cloned::<std::sync::Arc<std::sync::Mutex<common::Item>>>();
    for claim in [
        "flume's halves are both `Send` and `Sync`, and both can be cloned",
        "The standard library's `mpsc::Receiver` is not `Sync` and cannot be cloned",
        "it is `Send` and `Sync` whenever `T` is both",
    ] {
        assert!(
            says("threads-and-channels.md", claim),
            "threads-and-channels.md: {claim}"
        );
    }
}

/// The pages of `SUMMARY.md`, in the order a reader meets them.
fn summary_order() -> Vec<String> {
    let summary = fs::read_to_string(book_src().join("SUMMARY.md")).expect("SUMMARY.md");
    summary
        .split("](")
        .skip(1)
        .filter_map(|link| link.split(')').next())
        .map(str::to_string)
        .collect()
}

/// The id mdBook gives a heading: lower case, spaces as dashes, and only
/// letters, digits, `_` and `-` kept.
fn heading_id(heading: &str) -> String {
    heading
        .chars()
        .filter_map(|c| {
            if c.is_alphanumeric() || c == '_' || c == '-' {
                Some(c.to_ascii_lowercase())
            } else if c.is_whitespace() {
                Some('-')
            } else {
                None
            }
        })
        .collect()
}

/// The headings of a page, outside its code blocks: (level, text).
fn headings(text: &str) -> Vec<(usize, &str)> {
    let mut fenced = false;
    let mut found = Vec::new();
    for line in text.lines() {
        if line.starts_with("```") {
            fenced = !fenced;
        } else if !fenced && line.starts_with('#') {
            let level = line.chars().take_while(|&c| c == '#').count();
            if let Some(title) = line[level..].strip_prefix(' ') {
                found.push((level, title.trim()));
            }
        }
    }
    found
}

/// The glossary's entries: each `## ` heading's id, and the text up to
/// the next one.
fn glossary_entries() -> Vec<(String, String)> {
    let glossary = fs::read_to_string(book_src().join("glossary.md")).expect("glossary.md");
    glossary
        .split("\n## ")
        .skip(1)
        .map(|entry| {
            let (title, body) = entry.split_once('\n').unwrap_or((entry, ""));
            (heading_id(title), body.to_string())
        })
        .collect()
}

/// The targets of a text's Markdown links, `[...](target)`.
fn link_targets(text: &str) -> Vec<&str> {
    text.split("](")
        .skip(1)
        .filter_map(|link| link.split(')').next())
        .collect()
}

/// Every entry of the glossary links at least one page; the entries stand
/// in alphabetical order, so a reader finds one by its name.
#[test]
fn every_glossary_entry_links_a_page() {
    let entries = glossary_entries();
    assert!(
        entries.len() >= 25,
        "only {} glossary entries",
        entries.len()
    );
    // Where each link leads is checked with every other link of the book,
    // below.
    let mut problems = Vec::new();
    for (id, body) in &entries {
        if !link_targets(body)
            .iter()
            .any(|target| target.contains(".md"))
        {
            problems.push(format!("#{id} links no page"));
        }
    }
    let ids: Vec<&str> = entries.iter().map(|(id, _)| id.as_str()).collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    sorted.dedup();
    if ids != sorted {
        problems.push(format!("the entries are not in order, or repeat: {ids:?}"));
    }
    assert!(problems.is_empty(), "glossary.md:\n{}", problems.join("\n"));
}

/// The ids of a page's headings, as mdBook gives them: a heading whose id
/// is taken already gets `-1`, `-2`, ... after it.
fn heading_ids(text: &str) -> Vec<String> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut ids = Vec::new();
    for (_, title) in headings(text) {
        let id = heading_id(title);
        let times = seen.entry(id.clone()).or_default();
        ids.push(if *times == 0 {
            id
        } else {
            format!("{id}-{times}")
        });
        *times += 1;
    }
    ids
}

/// Where the links of a page's text lead, outside its code blocks:
/// Markdown links and images, reference definitions (`[name]: target`),
/// and the `src`, `data` and `href` of its HTML.
fn links(text: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut fenced = false;
    for line in text.lines() {
        if line.starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if fenced {
            continue;
        }
        // A title after the target (`[a](b "c")`) is not part of it.
        found.extend(
            link_targets(line)
                .into_iter()
                .filter_map(|t| t.split(' ').next()),
        );
        if line.starts_with('[')
            && let Some((_, target)) = line.split_once("]: ")
        {
            found.push(target.trim());
        }
        for attribute in [" src=\"", " data=\"", " href=\""] {
            for rest in line.split(attribute).skip(1) {
                found.extend(rest.split('"').next());
            }
        }
    }
    found
}

/// What is wrong with the links of a page of `folder` with this text: a
/// page, file or heading they name that is not there.
fn broken_links(folder: &Path, page: &str, text: &str) -> Vec<String> {
    let mut problems = Vec::new();
    for target in links(text) {
        if target.starts_with("https://") || target.starts_with("http://") {
            continue; // The web is not checked: CI has no network.
        }
        let (path, anchor) = target.split_once('#').unwrap_or((target, ""));
        let linked = if path.is_empty() {
            Ok(text.to_string())
        } else {
            fs::read_to_string(folder.join(path))
        };
        let Ok(linked) = linked else {
            problems.push(format!("{page} links {target}: {path} is missing"));
            continue;
        };
        if !anchor.is_empty() && !heading_ids(&linked).iter().any(|id| id == anchor) {
            let what = if path.is_empty() { page } else { path };
            problems.push(format!(
                "{page} links {target}: {what} has no heading #{anchor}"
            ));
        }
    }
    problems
}

/// Every link of the book leads to a page, file or heading that is there,
/// the links of the Markdown files a page includes too (they are read as
/// part of the page).
#[test]
fn every_link_in_the_book_leads_somewhere() {
    let mut problems = Vec::new();
    let mut checked = 0;
    for page in pages() {
        let own = fs::read_to_string(&page).expect("readable page");
        let mut text = own.clone();
        for (path, _) in includes(&own) {
            if Path::new(&path).extension().is_some_and(|ext| ext == "md") {
                text.push_str(&fs::read_to_string(book_src().join(&path)).unwrap_or_default());
            }
        }
        let name = page.file_name().expect("a file name").to_string_lossy();
        checked += links(&text).len();
        problems.extend(broken_links(&book_src(), &name, &text));
    }
    assert!(checked >= 300, "only {checked} links found");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_link_checker_finds_what_is_wrong() {
    let scratch = tempfile::tempdir().expect("a temporary folder");
    let folder = scratch.path();
    fs::write(folder.join("other.md"), "# Other\n\n## Twice\n\n## Twice\n").expect("page");
    fs::write(folder.join("picture.svg"), "<svg/>").expect("picture");
    let page = "# Here\n\
        [a](other.md) [b](other.md#twice-1 \"title\") ![c](picture.svg) [d](#here)\n\
        <img src=\"picture.svg\"> [e](https://example.org/nowhere)\n\
        ```text\n[in code](not-checked.md)\n```\n\
        [f](gone.md) [g](other.md#twice-2) [h](#nowhere)\n\
        <object data=\"gone.svg\"></object>\n\
        [ref]: gone-too.md\n";
    assert_eq!(
        broken_links(folder, "page.md", page),
        [
            "page.md links gone.md: gone.md is missing",
            "page.md links other.md#twice-2: other.md has no heading #twice-2",
            "page.md links #nowhere: page.md has no heading #nowhere",
            "page.md links gone.svg: gone.svg is missing",
            "page.md links gone-too.md: gone-too.md is missing",
        ]
    );
}

/// The words the book uses before the page that explains them: each
/// one's entry in the glossary, the page that explains it, and the forms
/// it takes in the text, `|` between them. A form with a capital letter
/// matches only as written (`Send`, not "send"), any other in any case.
const TERMS: &[(&str, &str, &str)] = &[
    (
        "unwinding",
        "threads-and-channels.md",
        "unwind|unwinds|unwinding|unwound",
    ),
    (
        "panic",
        "threads-and-channels.md",
        "panic|panics|panicked|panicking",
    ),
    ("assertunwindsafe", "many-one.md", "AssertUnwindSafe"),
    ("catch_unwind", "many-one.md", "catch_unwind"),
    ("joinhandle", "threads-and-channels.md", "JoinHandle"),
    (
        "scoped-thread",
        "threads-and-channels.md",
        "scoped thread|scoped threads|thread::scope",
    ),
    ("send", "threads-and-channels.md", "Send"),
    ("sync", "threads-and-channels.md", "Sync"),
    ("arc", "threads-and-channels.md", "Arc"),
    ("mutex", "task-done.md", "Mutex"),
    ("condvar", "task-done.md", "Condvar"),
    ("barrier", "many-one.md", "barrier|barriers"),
    (
        "atomics",
        "event-timeout.md",
        "atomic|atomics|AtomicBool|AtomicUsize",
    ),
    ("acquire-and-release", "event-timeout.md", "Acquire|Release"),
    ("sentinel", "pattern.md", "sentinel|sentinels"),
    ("rendezvous", "threads-and-channels.md", "rendezvous"),
    ("bounded-and-unbounded", "pattern.md", "bounded|unbounded"),
    ("backpressure", "backpressure.md", "backpressure"),
    (
        "disconnection",
        "disconnect.md",
        "disconnection|disconnected",
    ),
    ("makespan", "performance.md", "makespan"),
    ("seed", "introduction.md", "seed|seeds|seeded"),
    ("time-scale", "introduction.md", "time scale"),
    (
        "consumer-group",
        "redis.md",
        "consumer group|consumer groups",
    ),
    (
        "dead-letter-stream",
        "redis-consumers.md",
        "dead-letter stream|dead-letter",
    ),
    (
        "at-least-once",
        "redis-consumers.md",
        "at least once|at-least-once",
    ),
];

/// Whether `text` uses one of `forms` (as in `TERMS`) as a whole word: a
/// letter, digit, `_` or `-` on either side makes it part of another
/// (`--panic-at`, `catch_unwind`, `Sender`).
fn uses(text: &str, forms: &str) -> bool {
    let lower = text.to_lowercase();
    let part_of_a_word = |c: char| c.is_alphanumeric() || c == '_' || c == '-';
    forms.split('|').any(|form| {
        let (text, form) = if form.chars().any(char::is_uppercase) {
            (text, form.to_string())
        } else {
            (lower.as_str(), form.to_lowercase())
        };
        text.match_indices(&form).any(|(at, _)| {
            let before = text[..at].chars().next_back();
            let after = text[at + form.len()..].chars().next();
            ![before, after].into_iter().flatten().any(part_of_a_word)
        })
    })
}

/// A page's prose: its text without the code that includes bring in.
fn prose(page: &str) -> String {
    let text = fs::read_to_string(book_src().join(page)).expect("a page");
    let mut prose = String::new();
    let mut rest = text.as_str();
    while let Some(start) = rest.find("{{#") {
        prose.push_str(&rest[..start]);
        rest = rest[start..]
            .split_once("}}")
            .map_or("", |(_, after)| after);
    }
    prose.push_str(rest);
    prose
}

/// No page uses a word of `TERMS` before the page that explains it
/// without a way to learn it: the paragraph where a page first uses it
/// links its glossary entry or the page that explains it. Each word has
/// its entry, which links that page, and that page uses the word.
#[test]
fn every_term_is_explained_or_linked_where_it_is_first_used() {
    let order = summary_order();
    let entries = glossary_entries();
    let mut problems = Vec::new();
    for &(entry, page, forms) in TERMS {
        let name = forms.split('|').next().expect("a form");
        match entries.iter().find(|(id, _)| id == entry) {
            None => problems.push(format!("glossary.md has no entry #{entry}")),
            Some((_, body)) if !body.contains(&format!("]({page}")) => {
                problems.push(format!("glossary.md#{entry} never links {page}"));
            }
            Some(_) => {}
        }
        if !uses(&prose(page), forms) {
            problems.push(format!("{page}, which explains {name:?}, never uses it"));
        }
        let explained = order
            .iter()
            .position(|p| p == page)
            .unwrap_or_else(|| panic!("{page} is not in SUMMARY.md"));
        for earlier in &order[..explained] {
            let text = prose(earlier);
            let Some(first) = text.split("\n\n").find(|block| uses(block, forms)) else {
                continue;
            };
            let linked = first.contains(&format!("](glossary.md#{entry})"))
                || first.contains(&format!("]({page}"));
            if !linked {
                problems.push(format!(
                    "{earlier} says {name:?} before {page} explains it, and links neither \
                     glossary.md#{entry} nor {page} there:\n  {}",
                    first.trim().replace('\n', " ")
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The lines of the book's output `name`.
fn output_lines(name: &str) -> Vec<String> {
    let text = fs::read_to_string(book_src().join("outputs").join(name)).expect("an output");
    text.lines().map(str::to_string).collect()
}

/// Where the first line that starts with `start` is in `lines`.
fn line_of(lines: &[String], start: &str) -> usize {
    lines
        .iter()
        .position(|line| line.starts_with(start))
        .unwrap_or_else(|| panic!("no line {start:?}"))
}

/// Whether `page` says `claim` (line breaks in the page read as spaces).
fn says(page: &str, claim: &str) -> bool {
    let text = fs::read_to_string(book_src().join(page)).expect("a page");
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    text.contains(claim)
}

#[test]
fn what_the_prose_says_of_a_shown_run_is_true_of_it() {
    // Each claim stands on its page as quoted, and holds of the run shown
    // beside it: if either changes, this test says which.
    let claim = "it added item 4 before the consumer got item 1";
    assert!(says("one-one.md", claim), "one-one.md: {claim}");
    let run = output_lines("one-one.txt");
    assert!(line_of(&run, ">producer added (4,") < line_of(&run, ">consumer got (1,"));

    let claim = "29 of the 30 items were processed before the first producer was done";
    assert!(says("many-many.md", claim), "many-many.md: {claim}");
    let run = output_lines("many-many.txt");
    let first_done = run
        .iter()
        .position(|line| line.starts_with("Producer ") && line.ends_with(": Done"))
        .expect("a producer's Done");
    let got = |lines: &[String]| lines.iter().filter(|l| l.contains(" got ")).count();
    assert_eq!(got(&run[..first_done]), 29);
    assert_eq!(got(&run), 30);

    // backpressure.md: the bounded run waits more than half its time in
    // `send` and never holds more than 100; the unbounded one holds about
    // 4 KB of items, which at 1 MB an item would be a quarter of a GB.
    let numbers = |name: &str| -> Vec<f64> {
        let line = output_lines(name).into_iter().nth(1).expect("the report");
        line.split(|c: char| !(c.is_ascii_digit() || c == '.'))
            .filter_map(|word| word.trim_end_matches('.').parse().ok())
            .collect()
    };
    let bounded = numbers("backpressure-capacity-100-report.md");
    assert!(says(
        "backpressure.md",
        "the producer spends more than half the run waiting in `send`, and never more than 100 items wait"
    ));
    assert_eq!(bounded[0], 100.0);
    assert!(bounded[3] > bounded[4] / 2.0, "{bounded:?}");
    let unbounded = numbers("backpressure-unbounded-report.md");
    assert!(says("backpressure.md", "so the peak above is about 4 KB"));
    assert!((3500.0..4500.0).contains(&unbounded[1]), "{unbounded:?}");
    assert!(says("backpressure.md", "the same run holds a quarter of a"));
    let gigabytes = unbounded[0] / 1024.0;
    assert!((0.2..0.3).contains(&gigabytes), "{unbounded:?}");

    // select.md: the run shown has a needle, and its finder cancels.
    let claim = "when one finds the needle the others stop at once";
    assert!(says("select.md", claim), "select.md: {claim}");
    let run = output_lines("select.txt");
    let cancel = run
        .iter()
        .position(|line| line.ends_with(": Shut down the queue"))
        .expect("select.txt: the shown run never cancels");
    let finder = run[cancel]
        .split(':')
        .next()
        .expect("who cancelled")
        .to_lowercase();
    let needle = run[..cancel]
        .iter()
        .rev()
        .find(|line| line.starts_with(&format!(">{finder} got ")))
        .and_then(|line| line.rsplit(", ").next())
        .and_then(|value| value.trim_end_matches(')').parse::<f64>().ok())
        .expect("the finder's last item");
    assert!(needle >= 0.9, "select.txt: {finder} cancelled on {needle}");

    // many-one.md: every producer but the last to arrive waits at the
    // barrier.
    assert!(says(
        "many-one.md",
        "the last to arrive does not wait at all"
    ));
    let waiting = (0..3)
        .filter(|p| {
            drawn_for(
                "many-one.svg",
                &format!("Producer {p}"),
                "waiting for others",
            ) > 0.01
        })
        .count();
    assert_eq!(waiting, 2, "many-one.svg: producers drawn at the barrier");

    // counting-sentinels.md: three sentinels, one path from each producer.
    assert!(says(
        "counting-sentinels.md",
        "three dashed paths that all end at the consumer"
    ));
    let svg =
        fs::read_to_string(book_src().join("outputs/counting_sentinels.svg")).expect("a picture");
    assert_eq!(
        svg.matches("<polyline").count(),
        3,
        "counting_sentinels.svg: the sentinels' paths"
    );

    assert!(says("consumer-panic.md", "nine `got` lines of ten"));
    let run = output_lines("consumer_panic.log");
    assert_eq!(run.iter().filter(|l| l.contains(" got ")).count(), 9);
}

/// The time a timeline's span title gives ("6.3 ms", "1.25 s"), in seconds.
fn seconds_in(text: &str) -> f64 {
    if text.trim() == "0" {
        return 0.0;
    }
    let (number, unit) = text.trim().split_once(' ').expect("a number and a unit");
    let number: f64 = number.parse().expect("a number");
    match unit {
        "s" => number,
        "ms" => number / 1000.0,
        "µs" => number / 1e6,
        other => panic!("no unit {other}"),
    }
}

/// How long the picture `svg` draws `who` as `doing` (a span title reads
/// "Producer is waiting to put ... from A to B"), in seconds.
fn drawn_for(svg: &str, who: &str, doing: &str) -> f64 {
    let text = fs::read_to_string(book_src().join("outputs").join(svg)).expect("a picture");
    let document = roxmltree::Document::parse(&text).expect("a well-formed SVG");
    document
        .descendants()
        .filter(|node| node.has_tag_name("title"))
        .filter_map(|title| title.text())
        .filter(|title| title.starts_with(&format!("{who} is {doing}")))
        .map(|title| {
            let span = title.rsplit_once(" from ").expect("from").1;
            let (from, to) = span.split_once(" to ").expect("to");
            seconds_in(to) - seconds_in(from)
        })
        .sum()
}

/// A picture shows what its run did, whatever pace the program sets: the
/// bounded backpressure run's producer, ten times faster than its
/// consumer, is drawn waiting for room as long as it measured itself
/// waiting in `send` (its report), within a tenth.
#[test]
fn a_picture_draws_the_waits_its_program_measured() {
    let report = output_lines("backpressure-capacity-100-report.md").join(" ");
    let measured: f64 = report
        .split("the producer waited ")
        .nth(1)
        .and_then(|rest| rest.split(" s in send").next())
        .and_then(|number| number.parse().ok())
        .expect("the report's wait");
    let drawn = drawn_for(
        "backpressure-capacity-100.svg",
        "Producer",
        "waiting to put",
    );
    assert!(
        (drawn - measured).abs() <= measured / 10.0,
        "the picture draws {drawn:.2} s of waiting; the program measured {measured:.2} s"
    );
}

/// A picture shows what its run did when a thread dies: the item the
/// panicking consumer held (its panic's message names both) is drawn as
/// its work, up to the panic, and marked there.
#[test]
fn a_picture_draws_the_item_a_panicking_thread_held() {
    let log = output_lines("consumer_panic.log");
    let message = log
        .iter()
        .find(|line| line.contains(" cannot process ("))
        .expect("the panic's message");
    let (who, item) = message
        .split_once(" cannot process ")
        .expect("who and what");
    let svg = fs::read_to_string(book_src().join("outputs/consumer_panic.svg")).expect("a picture");
    let works = format!("{who} works on {item} from ");
    assert!(
        svg.contains(&works),
        "consumer_panic.svg never draws {works:?}"
    );
    let mark = format!("{who}: {item} panicked on at ");
    assert!(
        svg.contains(&mark),
        "consumer_panic.svg has no mark {mark:?}"
    );
}

/// The report's table of times per message: for each row ("1/1, 64"),
/// each column's median in nanoseconds (`None` where it says n/a).
fn report_times() -> Vec<(String, Vec<Option<f64>>)> {
    let report = fs::read_to_string(book_src().join("performance/report.md")).expect("the report");
    let median = |cell: &str| -> Option<f64> {
        let cell = cell.trim().trim_start_matches("**");
        let (number, rest) = cell.split_once("&nbsp;")?;
        let number: f64 = number.parse().ok()?;
        let unit = rest.split(['&', '*', '<']).next()?;
        match unit {
            "ns" => Some(number),
            "µs" => Some(number * 1e3),
            "ms" => Some(number * 1e6),
            _ => None,
        }
    };
    report
        .lines()
        .filter_map(|line| line.strip_prefix("| "))
        .filter_map(|row| {
            let cells: Vec<&str> = row.trim_end_matches(" |").split(" | ").collect();
            let name = cells.first()?;
            (name.contains('/') && name.contains(", ")).then(|| {
                (
                    name.to_string(),
                    cells[1..].iter().map(|c| median(c)).collect(),
                )
            })
        })
        .collect()
}

/// A ratio as the book writes it: one decimal below 10, whole above.
fn ratio(value: f64) -> String {
    if value < 10.0 {
        format!("{value:.1}")
    } else {
        format!("{value:.0}")
    }
}

/// The Performance chapter's figures are the report's: how many times
/// faster than `queue.Queue` each channel is, at every capacity Python
/// has, and what flume pays at 64 slots against no bound.
#[test]
fn the_performance_chapter_s_figures_are_the_report_s() {
    let rows = report_times();
    assert!(rows.len() >= 20, "the report's table: {} rows", rows.len());
    // Columns: flume, std mpsc, crossbeam-channel, kanal, Mutex+Condvar,
    // Python Queue.
    let faster = |columns: &[usize]| {
        let ratios: Vec<f64> = rows
            .iter()
            .filter_map(|(_, times)| {
                let python = times.get(5).copied().flatten()?;
                Some(
                    columns
                        .iter()
                        .filter_map(|&c| times[c].map(|t| python / t))
                        .collect::<Vec<_>>(),
                )
            })
            .flatten()
            .collect();
        let min = ratios.iter().copied().fold(f64::INFINITY, f64::min);
        let max = ratios.iter().copied().fold(0.0, f64::max);
        format!("{} to {} times", ratio(min), ratio(max))
    };
    for (what, columns) in [
        ("`flume` is ", &[0][..]),
        ("`std::sync::mpsc` ", &[1]),
        ("`kanal` ", &[2, 3]),
        ("`queue.Queue` without the interpreter, only ", &[4]),
    ] {
        let claim = format!("{what}{}", faster(columns));
        assert!(
            says("performance.md", &claim),
            "performance.md lacks {claim:?}"
        );
    }
    let flume_at = |row: &str| {
        let times = &rows.iter().find(|(name, _)| name == row).expect("a row").1;
        times[0].expect("flume's time")
    };
    let claim = format!(
        "`flume` pays {:.0} ns a message there at one producer and one consumer, against {:.0} ns unbounded",
        flume_at("1/1, 64"),
        flume_at("1/1, unbounded")
    );
    assert!(
        says("performance.md", &claim),
        "performance.md lacks {claim:?}"
    );
}

#[test]
fn the_choosing_chapter_shows_the_ladder() {
    let text = fs::read_to_string(book_src().join("choosing.md")).expect("the chapter");
    assert!(text.contains("async-sections.md"));
    assert!(text.contains("](choosing/ladder.svg)"));
    let ladder = fs::read_to_string(book_src().join("choosing/ladder.svg")).expect("the ladder");
    let rungs = ladder.matches("class=\"rung\"").count();
    assert_eq!(rungs, 9, "Python, six channels, Redis twice");

    // The ladder and the performance report measure one case alike (flume,
    // one producer, one consumer, 1,024 slots): the page gives both
    // figures, as each file has them, and the report's spread that
    // explains why they differ.
    let ladder = fs::read_to_string(book_src().join("choosing/ladder.md")).expect("the table");
    let flume = ladder
        .lines()
        .find_map(|line| line.strip_prefix("| flume | "))
        .and_then(|rest| rest.split(" | ").next())
        .expect("flume's rung");
    let report = fs::read_to_string(book_src().join("performance/report.md")).expect("report");
    let row = report
        .lines()
        .find(|line| line.starts_with("| 1/1, 1024 |"))
        .expect("the report's row");
    let cell = row
        .split(" | ")
        .nth(1)
        .expect("flume's cell")
        .replace("&nbsp;", " ");
    let (median, spread) = cell.split_once(" ×").expect("a median");
    let spread = spread
        .split("<br>")
        .nth(1)
        .expect("a spread")
        .replace('–', " to ");
    let text = squeezed(&text);
    for figure in [
        format!("flume {median} a message"),
        format!("the ladder says {flume}"),
        format!("range from {spread}"),
    ] {
        assert!(
            text.contains(&figure),
            "choosing.md does not say {figure:?}"
        );
    }
}

/// Text with its runs of white space made single spaces.
fn squeezed(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The code spans of a table cell, with `\|` read as `|`.
fn code_spans(cell: &str) -> Vec<String> {
    let cell = cell.replace('\u{0}', "|");
    cell.split('`')
        .skip(1)
        .step_by(2)
        .map(squeezed)
        .filter(|code| !code.is_empty())
        .collect()
}

/// Every section page maps the tutorial's Python to its Rust line by line:
/// each line of the Python the page shows has a row, and the code on each
/// side of a row is in the file it claims to come from (so a change to
/// either program that the map does not follow fails here).
#[test]
fn every_section_maps_python_to_rust_line_by_line() {
    let workspace = harness::programs::workspace_root();
    for name in ["one-one", "many-one", "one-many", "many-many"] {
        let page = book_src().join(format!("{name}.md"));
        let text = fs::read_to_string(&page).expect("a page");
        let start = text
            .find("## Beside the Python program")
            .unwrap_or_else(|| panic!("{name}.md: no Python beside the Rust"));
        let end = text[start + 3..]
            .find("\n## ")
            .map_or(text.len(), |i| start + 3 + i);
        let beside = &text[start..end];
        let rows: Vec<(Vec<String>, Vec<String>)> = beside
            .lines()
            .filter(|line| line.starts_with("| ") && !line.starts_with("| Python |"))
            .map(|line| {
                let line = line.replace("\\|", "\u{0}");
                let cells: Vec<&str> = line.split('|').collect();
                (code_spans(cells[1]), code_spans(cells[2]))
            })
            .collect();
        assert!(rows.len() >= 15, "{name}.md: a map of {} rows", rows.len());
        let python_file = format!("examples/python/{}.py", name.replace('-', "_"));
        let python = squeezed(&fs::read_to_string(workspace.join(&python_file)).expect("Python"));
        let rust_file = format!("crates/{name}/src/main.rs");
        let rust = squeezed(&fs::read_to_string(workspace.join(&rust_file)).expect("Rust"));
        for (left, right) in &rows {
            for code in left {
                assert!(
                    python.contains(code),
                    "{name}.md: {code:?} is not in {python_file}"
                );
            }
            for code in right {
                assert!(
                    rust.contains(code),
                    "{name}.md: {code:?} is not in {rust_file}"
                );
            }
        }
        let mapped: Vec<&String> = rows.iter().flat_map(|(left, _)| left).collect();
        let mut shown = 0;
        for (path, anchor) in includes(beside) {
            if Path::new(&path).extension().is_none_or(|e| e != "py") || path.ends_with("common.py")
            {
                continue;
            }
            let code = resolve(&page, &path, anchor.as_deref()).expect("an include");
            for line in code.lines() {
                let line = squeezed(line.split("  # ").next().unwrap_or_default());
                if line.is_empty() || line.starts_with('#') {
                    continue;
                }
                shown += 1;
                assert!(
                    mapped.iter().any(|code| code.contains(&line)),
                    "{name}.md: the Python line {line:?} has no row in the map"
                );
            }
        }
        assert!(shown > 10, "{name}.md shows {shown} lines of Python");
    }
}

/// The narrowest a markdown table can be drawn, in CSS pixels, under the
/// book's `theme/book.css`: each column as wide as its longest word that
/// cannot break (code may break anywhere; `&nbsp;` joins words), plus
/// the cell's padding. Characters are taken as half the font's size, a
/// little over the average of the book's sans-serif font.
fn narrowest_table(header: &str, rows: &[&str]) -> f64 {
    let cells = |row: &str| -> Vec<String> {
        let row = row.trim().trim_start_matches('|').trim_end_matches('|');
        row.replace("\\|", "")
            .split('|')
            .map(|cell| cell.trim().to_string())
            .collect()
    };
    let columns = cells(header).len();
    // Seven columns or more: the report's tables, drawn smaller.
    let (font, padding) = if columns >= 7 {
        (16.0 * 0.9 * 0.75, 8.0)
    } else {
        (16.0 * 0.9, 16.0)
    };
    let mut widest = vec![0usize; columns];
    for row in std::iter::once(header).chain(rows.iter().copied()) {
        for (column, cell) in cells(row).iter().enumerate().take(columns) {
            // Prose outside code spans, with links reduced to their text.
            let prose: String = cell.split('`').step_by(2).collect::<Vec<_>>().join(" ");
            let prose = prose
                .replace("](", " ")
                .replace("<br>", " ")
                .replace(['[', ']', ')', '*'], "");
            let longest = prose
                .split_whitespace()
                .map(|word| word.replace("&nbsp;", " ").chars().count())
                .max()
                .unwrap_or(0);
            widest[column] = widest[column].max(longest);
        }
    }
    widest
        .iter()
        .map(|&n| n as f64 * font * 0.5 + padding)
        .sum()
}

/// Every table fits the book's 750-pixel column of text on a wide screen
/// (a phone scrolls it sideways): tables once ran off the right edge at
/// 1,280 pixels, with unbreakable code in seven columns and mdBook's wide
/// padding. `book.css` lets code in a cell break and narrows the padding;
/// this holds the CSS to that, and every table's unbreakable words to the
/// page's width.
#[test]
fn every_table_fits_the_page_on_a_wide_screen() {
    let css = fs::read_to_string(book_src().join("../theme/book.css")).expect("book.css");
    assert!(css.contains("padding: 4px 8px;"), "book.css: table padding");
    assert!(
        css.contains("overflow-wrap: anywhere;"),
        "book.css: code in cells"
    );
    let mut files = pages();
    files.push(book_src().join("performance/report.md"));
    files.push(book_src().join("choosing/ladder.md"));
    let mut wide = Vec::new();
    for page in files {
        let text = fs::read_to_string(&page).expect("a page");
        let lines: Vec<&str> = text.lines().collect();
        for (n, pair) in lines.windows(2).enumerate() {
            let (header, rule) = (pair[0], pair[1]);
            if !(header.starts_with('|') && rule.starts_with("|---")) {
                continue;
            }
            let rows: Vec<&str> = lines[n + 2..]
                .iter()
                .take_while(|line| line.starts_with('|'))
                .copied()
                .collect();
            let width = narrowest_table(header, &rows);
            if width > 750.0 {
                wide.push(format!("{}:{}: {width:.0} px", page.display(), n + 1));
            }
        }
    }
    assert!(
        wide.is_empty(),
        "tables wider than the page:\n{}",
        wide.join("\n")
    );
    // The estimate counts what cannot break: prose words, not code.
    let long = format!("| a | {} |", "w".repeat(110));
    assert!(narrowest_table("| x | y |", &[long.as_str()]) > 750.0);
    let code = format!("| a | `{}` |", "w".repeat(110));
    assert!(narrowest_table("| x | y |", &[code.as_str()]) < 750.0);
}

/// Every timeline is embedded as an object, not an image, so that a
/// reader's browser shows a span's title on hover and runs the picture's
/// own CSS that follows an item through the lanes. (That the file it
/// names exists is checked with every other link.)
#[test]
fn every_timeline_is_an_object_that_hovers() {
    let mut shown = 0;
    for page in pages() {
        let text = fs::read_to_string(&page).expect("a page");
        assert!(
            !text.contains("](outputs/") || !text.contains(".svg)"),
            "{}: a timeline shown as an image has no hover",
            page.display()
        );
        for object in text.split("<object data=\"").skip(1) {
            assert!(object.contains("type=\"image/svg+xml\""));
            shown += 1;
        }
    }
    assert!(shown >= 20, "{shown} timelines");
    let svg = fs::read_to_string(book_src().join("outputs/many-many.svg")).expect("a picture");
    assert!(
        svg.contains("<style>") && svg.contains(":hover"),
        "many-many.svg has no hover"
    );
}

/// Every test the Reliability chapter's tables name exists: a case whose
/// test is renamed or removed is not left claiming a proof.
#[test]
fn every_test_the_reliability_chapter_names_exists() {
    let workspace = harness::programs::workspace_root();
    let mut sources = String::new();
    for dir in [
        "tests",
        "crates/redis-streams/tests",
        "crates/mutex-queue/tests",
    ] {
        for entry in fs::read_dir(workspace.join(dir)).expect("a folder of tests") {
            let path = entry.expect("an entry").path();
            if path.extension().is_some_and(|e| e == "rs") {
                sources.push_str(&fs::read_to_string(&path).expect("a test file"));
            }
        }
    }
    let text = fs::read_to_string(book_src().join("reliability.md")).expect("the chapter");
    let mut named = 0;
    for row in text.lines().filter(|line| line.starts_with("| ")) {
        let last = row
            .trim_end_matches(" |")
            .rsplit(" | ")
            .next()
            .unwrap_or_default();
        for code in last.split('`').skip(1).step_by(2) {
            let is_name = code
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '_' || c.is_ascii_digit());
            if !is_name || code.len() < 12 {
                continue;
            }
            named += 1;
            assert!(
                sources.contains(&format!("fn {code}(")),
                "reliability.md names a test `{code}` that does not exist"
            );
        }
    }
    assert!(named >= 20, "{named} tests named");
}

/// A row of the Redis report's table whose first cell starts with
/// `label`: its other cells, as written.
fn redis_report_row(report: &str, label: &str) -> Vec<String> {
    report
        .lines()
        .filter_map(|line| line.strip_prefix("| "))
        .find(|row| row.starts_with(label))
        .map_or_else(
            || panic!("performance/redis.md has no row {label:?}"),
            |row| {
                row.trim_end_matches(" |")
                    .split(" | ")
                    .skip(1)
                    .map(str::to_string)
                    .collect()
            },
        )
}

/// "1,234" as 1234, "430 µs" as 430, "1.2 ms" as 1200 (microseconds).
fn redis_report_number(cell: &str) -> f64 {
    let (number, unit) = cell.split_once(' ').unwrap_or((cell, ""));
    let number: f64 = number.replace(',', "").parse().expect("a number");
    if unit == "ms" { number * 1e3 } else { number }
}

/// What the Redis pages say of the program's speed is true of the report
/// beside them: it meets its target (50,000 items a second at 1/1 in
/// batches of 100, more at 4/4), it is slower than raw Redis, deleting is
/// the server's largest cost and scripts most of its time, and a batch
/// costs two script calls and one read.
#[test]
fn what_the_redis_pages_say_of_speed_is_true_of_the_report() {
    let report =
        fs::read_to_string(book_src().join("performance/redis.md")).expect("the Redis report");
    let numbers = |label: &str| -> Vec<f64> {
        redis_report_row(&report, label)
            .iter()
            .map(|cell| redis_report_number(cell))
            .collect()
    };
    let program = numbers("`--batch 100` |");
    assert!(program[0] >= 50_000.0, "1/1 moves {} items/s", program[0]);
    assert!(
        program[1] > program[0],
        "4/4 moves no more than 1/1: {program:?}"
    );
    let raw = redis_report_row(&report, "Redis, batches of 100");
    for (t, program) in program.iter().enumerate() {
        let raw = redis_report_number(&raw[2 * t]);
        assert!(
            *program < raw,
            "the program ({program}) is not slower than raw Redis ({raw})"
        );
        assert!(says(
            "redis-costs.md",
            "the real program moves fewer items per second than raw Redis"
        ));
    }
    let server = numbers("**the Redis server's CPU**");
    let parts = [
        "&nbsp;&nbsp;`XDEL`",
        "&nbsp;&nbsp;`XADD`",
        "&nbsp;&nbsp;`XPENDING`",
        "&nbsp;&nbsp;Lua",
        "&nbsp;&nbsp;`XREADGROUP`",
        "&nbsp;&nbsp;all else",
    ]
    .map(numbers);
    for t in 0..2 {
        let largest = parts.iter().map(|p| p[t]).fold(0.0, f64::max);
        assert_eq!(
            parts[0][t], largest,
            "deleting is not the largest cost: {parts:?}"
        );
        let scripts: f64 = parts[..4].iter().map(|p| p[t]).sum();
        assert!(
            scripts > server[t] / 2.0,
            "scripts are not most of {}: {scripts}",
            server[t]
        );
        assert_eq!(
            redis_report_row(&report, "round trips")[t],
            "2.0, 1.0",
            "a batch is not two script calls and one read"
        );
    }
    assert!(says(
        "redis-costs.md",
        "Deleting is the server's largest single cost"
    ));
    assert!(says(
        "redis-costs.md",
        "make scripts most of the server's time"
    ));
}
