//! What the names of a function the exercise asks to leave as given mean.
//! Its text can stay word for word while a name in it is bound anew: a
//! `struct Sender` of the file's own, a `use` from elsewhere, a trait
//! that gives a type a method by the same name, a `macro_rules!
//! println`. The function then does something else, and only its text
//! is as given.

use std::collections::BTreeSet;

use super::shapes::name_char;

/// The first name in the function `name` of `given` (the exercise as it is
/// given) that `mine` binds otherwise, said as grading says it; `None` if
/// every name means what it meant.
pub(super) fn rebound(given: &str, mine: &str, name: &str) -> Option<String> {
    let text = super::shapes::function(given, name)?;
    for (used, method) in names_used(&text) {
        let was = bindings(given, &used, method);
        let now = bindings(mine, &used, method);
        if was != now {
            let say = |bound: &BTreeSet<String>| {
                if bound.is_empty() {
                    "nothing of its own".to_string()
                } else {
                    bound
                        .iter()
                        .map(|b| format!("`{b}`"))
                        .collect::<Vec<_>>()
                        .join(" and ")
                }
            };
            let call = if method { "." } else { "" };
            return Some(format!(
                "`fn {name}` reads as given, but `{call}{used}` in it no longer means what it \
                 did: the file has {} where the exercise has {}, so the function does \
                 something else. Leave what its names mean as it is too",
                say(&now),
                say(&was)
            ));
        }
    }
    None
}

/// Rust's keywords and the names every function has: never bound anew by
/// an item.
const KEYWORDS: [&str; 28] = [
    "as", "break", "const", "continue", "crate", "else", "enum", "false", "fn", "for", "if",
    "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self",
    "Self", "static", "struct", "true", "while",
];

/// The first name `given` (the exercise's solution) imports that `mine`
/// makes its own or brings from elsewhere (`struct Sender` of the file's
/// own, `use std::sync::mpsc::Sender`), said as grading says it. A name
/// `mine` no longer imports at all is its own business.
pub(super) fn imported_anew(given: &str, mine: &str) -> Option<String> {
    for (name, path) in imports(given) {
        let now = bindings(mine, &name, false);
        let own = now.iter().find(|bound| *bound != &format!("use {path}"));
        if let Some(own) = own {
            return Some(format!(
                "the file has `{own}` where the exercise uses `{path}`: the threads must \
                 pass their messages through the channel and the types the exercise \
                 gives them, not through a stand-in by the same name"
            ));
        }
    }
    None
}

/// The names `function` (its text) uses: `(name, after a dot)`, a method
/// or field for the second, a path, a type or a macro for the first. A
/// word in a comment or a string is no name, but a string's placeholder
/// (`{item}`) is.
fn names_used(function: &str) -> BTreeSet<(String, bool)> {
    let mut used = BTreeSet::new();
    let mut word = String::new();
    let mut dotted = false;
    let mut previous = ' ';
    for c in code_only(function).chars().chain([' ']) {
        if name_char(c) {
            if word.is_empty() {
                dotted = previous == '.';
            }
            word.push(c);
        } else if !word.is_empty() {
            let first = word.chars().next().unwrap_or('0');
            if !first.is_ascii_digit() && !KEYWORDS.contains(&word.as_str()) {
                used.insert((std::mem::take(&mut word), dotted));
            }
            word.clear();
        }
        if !c.is_whitespace() {
            previous = c;
        }
    }
    used
}

/// `text` without its comments, and with each string literal replaced by
/// the names its placeholders read (`"{me}: Running"` by `me`).
pub(super) fn code_only(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'/') => {
                chars.by_ref().find(|&c| c == '\n');
                out.push('\n');
            }
            // A character literal (`'"'`, `'\''`), not a lifetime (`'a`).
            '\'' => {
                let mut ahead = chars.clone();
                let skip = match (ahead.next(), ahead.next(), ahead.next()) {
                    (Some('\\'), _, Some('\'')) => 3,
                    (Some(_), Some('\''), _) => 2,
                    _ => 0,
                };
                for _ in 0..skip {
                    chars.next();
                }
                out.push(' ');
            }
            '"' => {
                out.push(' ');
                let mut placeholder: Option<String> = None;
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => {
                            chars.next();
                        }
                        '"' => break,
                        '{' if chars.peek() == Some(&'{') => {
                            chars.next();
                        }
                        '{' => placeholder = Some(String::new()),
                        '}' | ':' => {
                            out.push_str(&placeholder.take().unwrap_or_default());
                            out.push(' ');
                        }
                        c => placeholder.iter_mut().for_each(|p| p.push(c)),
                    }
                }
                out.push(' ');
            }
            c => out.push(c),
        }
    }
    out
}

/// What binds `name` in `source`: each item of that name (`struct
/// Sender`, `fn send` in a trait or a trait's `impl`), and each `use`
/// that brings it (`use flume::Sender`), as the file writes them.
/// `method` asks for the bindings a method call (`.send(`) can reach:
/// a trait's methods, not a free function's name.
fn bindings(source: &str, name: &str, method: bool) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let kinds: &[&str] = if method {
        &["fn"]
    } else {
        &[
            "struct",
            "enum",
            "union",
            "trait",
            "type",
            "mod",
            "const",
            "static",
            "fn",
            "macro_rules!",
        ]
    };
    for kind in kinds {
        let item = format!("{kind} {name}");
        for (at, _) in source.match_indices(&item) {
            let before = source[..at].chars().next_back().unwrap_or(' ');
            let after = source[at + item.len()..].chars().next().unwrap_or(' ');
            // An item starts a statement (`'static Settings` is a type).
            let starts = before.is_whitespace() || "{};".contains(before);
            let whole = starts && !name_char(after);
            if !whole {
                continue;
            }
            if method && !in_a_trait(source, at) {
                continue;
            }
            // An associated type or constant (`type Item = Message;` in an
            // `impl Iterator for ..`) is the trait's, not the module's.
            if !method && ["type", "const"].contains(kind) && in_a_trait(source, at) {
                continue;
            }
            found.insert(item.clone());
        }
    }
    if !method {
        for (bound, path) in imports(source) {
            if bound == name {
                found.insert(format!("use {path}"));
            }
        }
    }
    found
}

/// Whether the item at byte `at` of `source` sits in a `trait` or in an
/// `impl Trait for Type`: there a method reaches calls on types of other
/// crates.
fn in_a_trait(source: &str, at: usize) -> bool {
    super::shapes::blocks_around(source, at)
        .next()
        .is_some_and(|(start, open)| {
            let head = source[start..open].split_whitespace().collect::<Vec<_>>();
            let opens = |word: &str| {
                head.iter()
                    .any(|w| *w == word || w.starts_with(&format!("{word}<")))
            };
            opens("trait") || opens("impl") && head.contains(&"for")
        })
}

/// Every name `source`'s `use` declarations bring in, with the path each
/// names (`use flume::{Receiver, Sender as S};` brings `Receiver` as
/// `flume::Receiver` and `S` as `flume::Sender`). Globs bring no name of
/// their own here: a name the file used to import by name, and now
/// imports no more, shows as a binding gone.
fn imports(source: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for (at, _) in source.match_indices("use ") {
        let before = source[..at].trim_end();
        if !(before.is_empty()
            || before.ends_with(';')
            || before.ends_with('}')
            || before.ends_with('{')
            || before.ends_with("pub"))
        {
            continue;
        }
        let Some(end) = source[at..].find(';') else {
            continue;
        };
        // White space squeezed, and gone around `::`, braces and commas:
        // only ` as ` keeps its spaces.
        let squeezed = source[at + 4..at + end]
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let mut tree = String::new();
        for c in squeezed.chars() {
            if ":{},".contains(c) && tree.ends_with(' ') {
                tree.pop();
            }
            if c != ' ' || !tree.ends_with([':', '{', '}', ',']) {
                tree.push(c);
            }
        }
        flatten("", &tree, &mut found);
    }
    found
}

/// The names a use tree `tree` under `prefix` brings in.
fn flatten(prefix: &str, tree: &str, found: &mut Vec<(String, String)>) {
    let join = |path: &str| {
        if prefix.is_empty() {
            path.to_string()
        } else {
            format!("{prefix}::{path}")
        }
    };
    if let Some(open) = tree.find('{') {
        let head = tree[..open].trim_end_matches("::");
        let inner = tree[open + 1..]
            .strip_suffix('}')
            .unwrap_or(&tree[open + 1..]);
        let prefix = join(head);
        for part in super::shapes::top_level(inner) {
            if !part.is_empty() {
                flatten(&prefix, part, found);
            }
        }
        return;
    }
    if tree.ends_with('*') {
        return;
    }
    let (path, bound) = match tree.split_once(" as ") {
        Some((path, alias)) => (path, alias),
        None => (tree, tree.rsplit("::").next().unwrap_or(tree)),
    };
    // `{self, ..}` names the module the braces are in.
    let (path, bound) = match path {
        "self" => (
            prefix.to_string(),
            prefix.rsplit("::").next().unwrap_or(bound),
        ),
        _ => (join(path), bound),
    };
    if bound != "_" {
        found.push((bound.to_string(), path));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GIVEN: &str = "use std::thread;\nuse flume::{Receiver, Sender};\n\
        fn producer(queue: Sender<Message>) { println!(\"Running\"); queue.send(Message::Sentinel); }\n\
        fn main() {}";

    #[test]
    fn a_use_tree_brings_each_name_with_its_path() {
        let source = "use std::sync::{atomic::{AtomicUsize, Ordering as O}, Arc};\n\
                      use flume::{self, Sender};\nuse std::io::*;\nuse a::b as _;";
        let mut found = imports(source);
        found.sort();
        let expected = [
            ("Arc", "std::sync::Arc"),
            ("AtomicUsize", "std::sync::atomic::AtomicUsize"),
            ("O", "std::sync::atomic::Ordering"),
            ("Sender", "flume::Sender"),
            ("flume", "flume"),
        ];
        let expected: Vec<(String, String)> = expected
            .iter()
            .map(|(a, b)| ((*a).to_string(), (*b).to_string()))
            .collect();
        assert_eq!(found, expected);
    }

    #[test]
    fn an_import_made_anew_is_seen_and_one_left_out_is_not() {
        assert_eq!(imported_anew(GIVEN, GIVEN), None);
        let fewer = GIVEN.replace("use flume::{Receiver, Sender};", "use flume::Sender;");
        assert_eq!(imported_anew(GIVEN, &fewer), None);
        let lifetime = GIVEN.replace("fn main() {}", "fn main() { let s: &'static Sender<u8>; }");
        assert_eq!(imported_anew(GIVEN, &lifetime), None);
        for anew in [
            "use flume::Receiver;\nstruct Sender<T>(flume::Sender<T>);",
            "use flume::Receiver;\nuse std::sync::mpsc::Sender;",
            "use flume::Receiver;\ntype Sender<T> = std::sync::mpsc::SyncSender<T>;",
        ] {
            let mine = GIVEN.replace("use flume::{Receiver, Sender};", anew);
            let said = imported_anew(GIVEN, &mine).expect("a stand-in");
            assert!(said.contains("`flume::Sender`"), "{said}");
        }
    }

    #[test]
    fn an_associated_type_by_the_same_name_is_no_stand_in() {
        let given = "use common::{Item, Message};\nfn main() {}";
        let iterator = format!(
            "{given}\nstruct Feed;\nimpl Iterator for Feed {{ type Item = Message; \
             fn next(&mut self) -> Option<Message> {{ None }} }}"
        );
        assert_eq!(imported_anew(given, &iterator), None);
        let anew = format!("{given}\ntype Item = u8;");
        let said = imported_anew(given, &anew).expect("a stand-in");
        assert!(said.contains("`type Item`"), "{said}");
    }

    #[test]
    fn a_word_in_a_string_or_a_comment_is_no_name_but_a_placeholder_is() {
        let used = names_used(
            "fn producer() { println!(\"{me}: Running {{Done}} {item:?}\"); // Sender\n \
             let quote = '\"'; let tick = '\\''; check(quote, tick, &'static_label); }",
        );
        let names: Vec<&str> = used.iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(
            names,
            [
                "check",
                "item",
                "me",
                "println",
                "producer",
                "quote",
                "static_label",
                "tick"
            ]
        );
        // A guard of the file's own named like a word the function prints.
        let guard = GIVEN.replace("fn main", "struct Running;\nfn main");
        assert_eq!(rebound(GIVEN, &guard, "producer"), None);
    }

    #[test]
    fn a_name_bound_anew_is_seen_and_added_names_are_not() {
        // Names the function does not use may come and go.
        let more = GIVEN.replace(
            "fn main",
            "use std::sync::atomic::AtomicBool;\nstatic DONE: AtomicBool = AtomicBool::new(false);\n\
             struct Wrapper;\nimpl Wrapper { fn send(&self) {} }\nfn helper() {}\nfn main",
        );
        assert_eq!(rebound(GIVEN, &more, "producer"), None);
        let own_type = GIVEN.replace(
            "use flume::{Receiver, Sender};",
            "use flume::Receiver;\nstruct Sender<T>(flume::Sender<T>);",
        );
        let said = rebound(GIVEN, &own_type, "producer").expect("a Sender of its own");
        assert!(said.contains("`Sender`"), "{said}");
        assert!(said.contains("`struct Sender`"), "{said}");
        for rebinding in [
            "use flume::{Receiver};\nuse fake::Sender;",
            "use flume::{Receiver, Sender as S};\nuse std::sync::mpsc::*;",
            "use flume::{Receiver, Sender};\nmacro_rules! println { ($($t:tt)*) => {} }",
            "use flume::{Receiver, Sender};\ntrait Quiet { fn send(&self, m: Message); }\n\
             impl<T> Quiet for Sender<T> { fn send(&self, m: Message) {} }",
            "use flume::{Receiver, Sender};\nenum Message { Sentinel }",
        ] {
            let mine = GIVEN.replace("use flume::{Receiver, Sender};", rebinding);
            assert!(rebound(GIVEN, &mine, "producer").is_some(), "{rebinding}");
        }
    }
}
