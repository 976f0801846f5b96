//! What grading reads in a learner's file before any run: the shapes of
//! races whose window is a few instructions wide, which no pace of the
//! runs widens. Each check reads the file's text, its functions with
//! their helpers' bodies inlined where they are called, and names the
//! function and what to change.

/// Whether `c` can be part of a name (an identifier).
pub(super) fn name_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Whether the `len` bytes of `text` at `at` are a whole name, not part of
/// a longer one.
pub(super) fn whole_name(text: &str, at: usize, len: usize) -> bool {
    !text[..at].ends_with(name_char) && !text[at + len..].starts_with(name_char)
}

/// The function `name` of a file, white space squeezed; `None` if it has
/// none.
pub(super) fn function(source: &str, name: &str) -> Option<String> {
    let start = source.find(&format!("fn {name}("))?;
    let body = &source[start..];
    let mut depth = 0;
    for (at, c) in body.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 1 => {
                let text = &body[..=at];
                return Some(text.split_whitespace().collect::<Vec<_>>().join(" "));
            }
            '}' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// Every function of a file: its name and its text, white space squeezed,
/// with each call of another function of the file preceded by that
/// function's body (twice over, for a helper's helper): a race hidden in
/// a helper is still in the order of the looks. A helper's own `return`
/// and `break` end only the helper, and are renamed.
pub(super) fn functions(source: &str) -> Vec<(String, String)> {
    let plain = plain_functions(source);
    plain
        .iter()
        .map(|(name, body)| (name.clone(), with_helpers(name, body, &plain, 2)))
        .collect()
}

/// `body` (of function `name`) with each call of another of `helpers`
/// preceded by that helper's body (its own helpers' too, `depth` deep),
/// its `return` and `break` renamed.
fn with_helpers(name: &str, body: &str, helpers: &[(String, String)], depth: usize) -> String {
    let mut text = body.to_string();
    for (helper, helper_body) in helpers {
        if helper == name || depth == 0 {
            continue;
        }
        let helper_body = with_helpers(helper, helper_body, helpers, depth - 1);
        let (Some(open), Some(close)) = (helper_body.find('{'), helper_body.rfind('}')) else {
            continue;
        };
        let inner = helper_body[open + 1..close]
            .replace("return", "returns_from_helper")
            .replace("break", "breaks_in_helper");
        // A method (`fn drop(&mut self)`) is called after a dot, a free
        // function without one: `drop(receiver)` is not the file's `drop`.
        let takes_self = helper_body.split_once('(').is_some_and(|(_, params)| {
            let first = params.trim_start_matches(['&', ' ']);
            first.starts_with("self") || first.starts_with("mut self")
        });
        let call = format!("{helper}(");
        let mut out = String::new();
        let mut rest = text.as_str();
        while let Some(at) = rest.find(&call) {
            let before = &rest[..at];
            // A method of the file's own counts too, but not one that
            // shares its name with the channel's or the atomics'.
            let method = before.ends_with('.');
            // A function a thread runs (`spawn(move || consumer(..))`) runs
            // beside the caller, not in its order: it is read on its own.
            let spawned = before.match_indices("spawn(").any(|(at, _)| {
                before[at..].chars().fold(0i32, |depth, c| match c {
                    '(' => depth + 1,
                    ')' => depth - 1,
                    _ => depth,
                }) > 0
            });
            let is_call = !before.ends_with(name_char)
                && !before.ends_with("fn ")
                && !spawned
                && (!takes_self || method)
                && (!method || !SHARED_NAMES.contains(&helper.as_str()));
            out.push_str(before);
            if is_call {
                out.push_str(&inner);
                out.push(' ');
            }
            out.push_str(&call);
            rest = &rest[at + call.len()..];
        }
        out.push_str(rest);
        text = out;
    }
    text
}

/// Method names a file's own method may share with the channel's, the
/// atomics' or the standard library's: a call of one is not expanded.
const SHARED_NAMES: [&str; 20] = [
    "send",
    "recv",
    "try_recv",
    "recv_timeout",
    "load",
    "store",
    "swap",
    "lock",
    "wait",
    "join",
    "clone",
    "len",
    "is_empty",
    "iter",
    "drain",
    "new",
    "default",
    "fmt",
    "drop",
    "main",
];

/// Every function of a file, as it is written.
pub(super) fn plain_functions(source: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(start) = source[at..].find("fn ").map(|i| at + i) {
        at = start + 3;
        let name: String = source[start + 3..]
            .chars()
            .take_while(|&c| name_char(c))
            .collect();
        if let Some(body) = function(&source[start..], &name) {
            found.push((name, body));
        }
    }
    // Closures bound to a name are helpers too: `let done = || ..;`.
    let squeezed = source.split_whitespace().collect::<Vec<_>>().join(" ");
    for (at, _) in squeezed.match_indices("let ") {
        let rest = &squeezed[at + 4..];
        let name: String = rest.chars().take_while(|&c| name_char(c)).collect();
        let Some(closure) = rest[name.len()..]
            .strip_prefix(" = |")
            .or_else(|| rest[name.len()..].strip_prefix(" = move |"))
        else {
            continue;
        };
        let mut depth = 0i32;
        let end = closure
            .char_indices()
            .find(|&(_, c)| {
                depth += match c {
                    '(' | '{' | '[' => 1,
                    ')' | '}' | ']' => -1,
                    _ => 0,
                };
                c == ';' && depth == 0
            })
            .map_or(closure.len(), |(i, _)| i);
        found.push((
            name.clone(),
            format!("fn {name}() {{ {} }}", &closure[..end]),
        ));
    }
    found
}

/// The name a method is called on, ending at byte `dot` of `text`:
/// `stop` for `stop.load(`.
fn called_on(text: &str, dot: usize) -> String {
    let reversed: String = text[..dot]
        .chars()
        .rev()
        .take_while(|&c| name_char(c))
        .collect();
    reversed.chars().rev().collect()
}

/// Whether `code` appears in the function `body` outside any block of
/// its own: every call of the function runs it.
pub(super) fn unconditional(body: &str, code: &str) -> bool {
    // What in a statement makes its end depend on a condition, without a
    // block: `cond.then(|| ..)`, `a && b`.
    const CONDITIONS: [&str; 7] = [
        "if ",
        "match ",
        ".then(",
        ".then_some(",
        "&&",
        "||",
        ".filter(",
    ];
    let mut depth = 0;
    for (at, c) in body.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            _ if depth == 1 && body[at..].starts_with(code) => {
                let statement = body[..at]
                    .rsplit([';', '{', '}'])
                    .next()
                    .unwrap_or_default();
                if !CONDITIONS
                    .iter()
                    .any(|condition| statement.contains(condition))
                {
                    return true;
                }
            }
            _ => {}
        }
    }
    false
}

/// Whether `body` sends `code` where either of two conditions holds (`if
/// leader || id == 0`, in the statement or an `if` around it): each
/// thread that meets one sends, and two threads can each meet one.
pub(super) fn sent_on_either(body: &str, code: &str) -> bool {
    body.match_indices(code).any(|(at, _)| {
        let statement = body[..at]
            .rsplit([';', '{', '}'])
            .next()
            .unwrap_or_default();
        either(statement)
            || blocks_around(body, at).any(|(start, open)| {
                let head = body[start..open].trim_start();
                let head = head.strip_prefix("else ").unwrap_or(head);
                head.starts_with("if ") && either(head)
            })
    })
}

/// Whether `text` has a boolean or (`a || b`), not a closure's `||`.
fn either(text: &str) -> bool {
    text.match_indices("||").any(|(at, _)| {
        let before = text[..at].trim_end();
        before.ends_with(|c: char| name_char(c) || c == ')' || c == ']')
            && !before.ends_with("move")
    })
}

/// An atomic that one function both changes and reads (or changes) again
/// in another step: `n.load(..)` then `n.store(..)`, or `n.fetch_add(..)`
/// then `n.load(..)`. Another thread can come in between: two threads
/// that read the same count both store the same next one, and one update
/// is lost. Such a race shows in one run in a million, so grading looks
/// for its shape in the file, whatever the runs show.
fn two_step_update(source: &str) -> Option<String> {
    const WRITES: [&str; 5] = [
        ".store(",
        ".fetch_",
        ".swap(",
        ".compare_exchange",
        ".fetch_update(",
    ];
    // With helpers inlined (a count changed in one, read in the caller);
    // a function a thread is spawned with is not inlined where it is
    // spawned, so `main`'s own reads after the threads are no race.
    for (name, body) in functions(source) {
        // A closure a thread is spawned with runs in that thread: its
        // accesses and the function's own are different threads' steps,
        // and a count read after the threads are joined is no race.
        let threads = spawned(&body);
        let thread_of = |at: usize| threads.iter().rposition(|r| r.contains(&at));
        // Each name an access is made through (and the thread it is made
        // in), with how many reads and writes that thread makes of it.
        let mut seen: Vec<((String, Option<usize>), usize, usize)> = Vec::new();
        // The atomics that are only ever added to in one step, and read
        // only to decide a stop: none of their updates can be lost.
        let mut benign: Vec<((String, Option<usize>), bool)> = Vec::new();
        for (index, _) in body.match_indices('.') {
            let rest = &body[index..];
            // Raising or lowering a flag writes no value read before: no
            // update can be lost.
            let flag = rest.starts_with(".store(true") || rest.starts_with(".store(false");
            let write = WRITES.iter().any(|w| rest.starts_with(w)) && !flag;
            let read = rest.starts_with(".load(");
            if !(write || read) {
                continue;
            }
            let target = (called_on(&body, index), thread_of(index));
            let harmless = if read {
                harmless_read(&body, index, &target, &thread_of)
            } else {
                one_step_write(&body, index, &target.0)
            };
            match benign.iter_mut().find(|(t, _)| *t == target) {
                Some(entry) => entry.1 &= harmless,
                None => benign.push((target.clone(), harmless)),
            }
            match seen.iter_mut().find(|(t, _, _)| *t == target) {
                Some(entry) => {
                    entry.1 += usize::from(read);
                    entry.2 += usize::from(write);
                }
                None => seen.push((target, usize::from(read), usize::from(write))),
            }
        }
        seen.retain(|(target, _, _)| !benign.contains(&(target.clone(), true)));
        // An atomic of this function's own that one thread alone touches:
        // no other can come in between.
        seen.retain(|((target, _), _, _)| !one_thread_alone(&body, target, &thread_of));
        if name != "main"
            && let Some(problem) = two_locks(&name, &body)
        {
            return Some(problem);
        }
        if let Some(((target, thread), _, _)) = seen
            .iter()
            .find(|(_, reads, writes)| *writes >= 1 && reads + writes >= 2)
        {
            // A count added to, then read again to see where it stands, in
            // the same thread.
            let first = |access: &str| {
                body.match_indices(&format!("{target}{access}"))
                    .map(|(at, _)| at)
                    .find(|&at| thread_of(at) == *thread)
            };
            if let (Some(added), Some(read)) = (first(".fetch_"), first(".load("))
                && added < read
            {
                return Some(format!(
                    "`fn {name}` changes the atomic `{target}`, then reads it again in a \
                     separate step: other threads can change it in between, so two threads \
                     can read the same final value, or none reads the value it made (a race \
                     that shows once in many runs). Use the value the change returns: `let \
                     before = {target}.fetch_add(1, ..);`"
                ));
            }
            return Some(format!(
                "`fn {name}` reads and changes the atomic `{target}` in separate steps: another \
                 thread can come in between, and an update is lost (a race that shows once in \
                 many runs). Make it one step, such as `{target}.fetch_add(1, ..)`, and use the \
                 value it returns"
            ));
        }
    }
    None
}

/// Whether the read of the atomic `target.0` at byte `index` of `body`
/// (made in the thread `target.1`, as `thread_of` tells) can lose no
/// update, read again after a change.
fn harmless_read(
    body: &str,
    index: usize,
    target: &(String, Option<usize>),
    thread_of: &dyn Fn(usize) -> Option<usize>,
) -> bool {
    // A count read again after it is added to, where what it decides is
    // then claimed in one step of another atomic (`!sent.swap(true, ..)`):
    // of two threads that read the same final count, one wins the claim.
    let claimed = || {
        body[index..].match_indices('.').any(|(at, _)| {
            let at = index + at;
            let claim = body[at..].starts_with(".swap(true")
                || body[at..].starts_with(".compare_exchange(false, true");
            claim && thread_of(at) == target.1 && called_on(body, at) != target.0
        })
    };
    // A value read for a compare-and-swap, which fails if another thread
    // changed it since: the read's next use of the atomic.
    let swapped = || {
        let next = body[index + 1..]
            .match_indices(&format!("{}.", target.0))
            .next()
            .map(|(at, name)| &body[index + 1 + at + name.len() - 1..]);
        next.is_some_and(|next| next.starts_with(".compare_exchange"))
    };
    decides_only_a_stop(&body[index..])
        || a_loop_s_condition(&body[..index])
        || claimed()
        || swapped()
        || only_printed(body, index, &target.0)
}

/// Whether the value read at byte `index` of `body` from the atomic
/// `target` is only printed: read in a printing macro's arguments, or
/// into a name that only they use. It decides nothing.
fn only_printed(body: &str, index: usize, target: &str) -> bool {
    let in_a_report = |at: usize| {
        REPORTS.iter().any(|report| {
            body[..at].rfind(report).is_some_and(|open| {
                paren_end(body, open + report.len() - 1).is_some_and(|end| end > at)
            })
        })
    };
    if in_a_report(index) {
        return true;
    }
    let start = body[..index].rfind([';', '{', '}']).map_or(0, |i| i + 1);
    let Some(named) = body[start..index]
        .trim()
        .strip_prefix("let ")
        .and_then(|rest| rest.strip_suffix(target))
        .and_then(|rest| rest.trim_end().strip_suffix('='))
        .map(str::trim)
        .filter(|name| name.chars().all(name_char))
    else {
        return false;
    };
    body[index..]
        .match_indices(named)
        .map(|(at, _)| index + at)
        .filter(|&at| whole_name(body, at, named.len()))
        .all(in_a_report)
}

/// Whether the write of the atomic `target` at byte `index` of `body` is
/// one step, which can lose no other thread's update: an add, or a
/// compare-and-swap where what it returns is looked at (`match`, `if`, a
/// loop that tries again). One whose failure is thrown away loses the
/// update it was to make.
fn one_step_write(body: &str, index: usize, target: &str) -> bool {
    let rest = &body[index..];
    let statement = body[..index]
        .rsplit([';', '{', '}'])
        .next()
        .unwrap_or_default()
        .trim_start();
    let looked_at = !(statement.starts_with("let _ =") || statement.starts_with(target));
    [".fetch_add(", ".fetch_sub("]
        .iter()
        .any(|step| rest.starts_with(step))
        || ([".compare_exchange", ".fetch_update("]
            .iter()
            .any(|step| rest.starts_with(step))
            && looked_at)
}

/// Whether `target` is an atomic made in `body` (`let target =
/// AtomicUsize::new(..)`) that is never lent or moved (each time it is
/// named, a method is called on it) and whose methods are called in one
/// thread only, as `thread_of` tells.
fn one_thread_alone(body: &str, target: &str, thread_of: &dyn Fn(usize) -> Option<usize>) -> bool {
    let made = body
        .match_indices(&format!("let {target}"))
        .any(|(at, bound)| {
            let rest = body[at + bound.len()..].trim_start();
            !rest.starts_with(name_char)
                && rest.split(';').next().is_some_and(|binding| {
                    binding.contains("= Atomic") && binding.contains("::new(")
                })
        });
    let named: Vec<usize> = body
        .match_indices(target)
        .map(|(at, _)| at)
        .filter(|&at| whole_name(body, at, target.len()))
        .filter(|&at| !body[..at].trim_end().ends_with("let"))
        .collect();
    made && named
        .iter()
        .all(|&at| body[at + target.len()..].starts_with('.'))
        && named
            .iter()
            .all(|&at| thread_of(at) == named.first().and_then(|&first| thread_of(first)))
}

/// The spans of `body` that closures passed to `spawn(..)` take (with
/// the call's brackets), in the order they start.
fn spawned(body: &str) -> Vec<std::ops::Range<usize>> {
    body.match_indices("spawn(")
        .filter_map(|(at, call)| {
            let open = at + call.len() - 1;
            paren_end(body, open).map(|close| open..close + 1)
        })
        .collect()
}

/// Whether `text` calls the function `name` (not a method by that name).
fn calls(text: &str, name: &str) -> bool {
    text.match_indices(name).any(|(at, _)| {
        whole_name(text, at, name.len())
            && !text[..at].ends_with('.')
            && text[at + name.len()..].starts_with('(')
    })
}

/// The spans of `body` that closures spawned to run `fn role` take
/// (`spawn(move || { consumer(..); requeue.send(..) })`): what they do
/// is that thread's, not the spawner's.
fn spawned_as(body: &str, role: &str) -> Vec<std::ops::Range<usize>> {
    spawned(body)
        .into_iter()
        .filter(|span| calls(&body[span.clone()], role))
        .collect()
}

/// `body` without the closures it spawns to run `fn role`: what the
/// function does on its own thread, and in threads of other roles.
pub(super) fn outside_threads_of(body: &str, role: &str) -> String {
    let mut own = String::new();
    let mut from = 0;
    for span in spawned_as(body, role) {
        if span.start >= from {
            own.push_str(&body[from..span.start]);
            from = span.end;
        }
    }
    own + &body[from..]
}

/// What each thread that runs `fn role` does, each as a function's body:
/// the function (its helpers inlined), and each closure a function spawns
/// to run it and do more, with the function's body in place of its call.
pub(super) fn threads_of(source: &str, role: &str) -> Vec<String> {
    let expanded = functions(source);
    let Some((_, own)) = expanded.iter().find(|(name, _)| name == role) else {
        return Vec::new();
    };
    let inner = match (own.find('{'), own.rfind('}')) {
        (Some(open), Some(close)) if open < close => own[open + 1..close]
            .replace("return", "returns_from_helper")
            .replace("break", "breaks_in_helper"),
        _ => String::new(),
    };
    let mut threads = vec![own.clone()];
    for (_, body) in &expanded {
        for span in spawned_as(body, role) {
            // `spawn(move || ..)`: the closure's code, after its bars.
            let closure = &body[span.start + "spawn(".len()..span.end - 1];
            let Some(bars) = closure.find("||").map(|at| at + 2) else {
                continue;
            };
            let code = closure[bars..].trim();
            let code = code
                .strip_prefix('{')
                .and_then(|code| code.strip_suffix('}'))
                .unwrap_or(code);
            let call = format!("{role}(");
            let code = code.replacen(&call, &format!("{inner} {call}"), 1);
            threads.push(format!("{{ {code} }}"));
        }
    }
    threads
}

/// A value behind a lock, copied out under one lock (`let n =
/// *count.lock()..`) and written under another (`*count.lock().. = n +
/// 1`): an update is lost. Or written, then read again under another
/// lock: the value read may be another thread's.
fn two_locks(name: &str, body: &str) -> Option<String> {
    let mut copied = Vec::new();
    let mut written = Vec::new();
    for (at, _) in body.match_indices(".lock()") {
        let target = called_on(body, at);
        let start = body[..at].rfind([';', '{', '}']).map_or(0, |i| i + 1);
        let end = body[at..].find(';').map_or(body.len(), |i| at + i);
        let statement = body[start..end].trim();
        let after = &body[at..end];
        if statement.starts_with('*') && [" = ", " += ", " -= "].iter().any(|op| after.contains(op))
        {
            written.push((target, at));
        } else if statement.contains(&format!("= *{target}.lock()")) {
            copied.push((target, at));
        }
    }
    let first_write = |target: &str| written.iter().find(|(t, _)| t == target).map(|(_, at)| *at);
    let (target, copy, write) = copied
        .iter()
        .find_map(|(t, at)| first_write(t).map(|write| (t, *at, write)))?;
    // Changed first, then read again to see where it stands: no update
    // is lost, but the value read may not be its own.
    Some(if write < copy {
        format!(
            "`fn {name}` changes `{target}` under one lock, then reads it again under \
             another: other threads can change it in between, so two threads can read \
             the same final value, or none reads the value it made (a race that shows \
             once in many runs). Keep the value under the lock that changed it: \
             `let mut n = {target}.lock()..; *n += 1; let now = *n;`"
        )
    } else {
        format!(
            "`fn {name}` copies `{target}` out under one lock and writes it under \
             another: what it copied may have changed in between, and another thread's \
             update is lost (a race that shows once in many runs). Read and change it \
             under one lock"
        )
    })
}

/// Whether what comes before a read makes it a `while` loop's
/// condition (`while count.load(..) < n {`): a read that only decides
/// whether to go on, as `if .. { break }` does.
fn a_loop_s_condition(before: &str) -> bool {
    let statement = before.rsplit([';', '{', '}']).next().unwrap_or_default();
    statement.trim_start().starts_with("while ")
}

/// Whether the read at the start of `rest` (`.load(..) == total {
/// break; }`) decides nothing but a stop: the block its condition opens
/// holds only `break` or `return`. Several threads that stop on the same
/// count lose nothing.
fn decides_only_a_stop(rest: &str) -> bool {
    let Some(open) = rest
        .find(['{', ';'])
        .filter(|&i| rest[i..].starts_with('{'))
    else {
        return false;
    };
    let Some(close) = block_end(rest, open) else {
        return false;
    };
    let inside = rest[open + 1..close].trim().trim_end_matches(';').trim();
    inside == "break" || inside == "return"
}

/// Looks at whether the buffer is empty, either way round.
const EMPTIES: [&str; 6] = [
    ".is_empty()",
    ".len() == 0",
    ".len() < 1",
    ".len() > 0",
    ".len() != 0",
    ".len() >= 1",
];

/// Whether `name` is an end of a channel in `source`: a binding or a
/// parameter typed `Receiver<..>` or `Sender<..>` (or a reference to one).
fn channel_end(source: &str, name: &str) -> bool {
    let squeezed = source.split_whitespace().collect::<Vec<_>>().join(" ");
    ["Receiver<", "Sender<"].iter().any(|end| {
        [": ", ": &", ": flume::", ": &flume::"]
            .iter()
            .any(|typed| squeezed.contains(&format!("{name}{typed}{end}")))
    })
}

/// Looks that say whether more can come: a flag, the senders, or the
/// producer's thread (`JoinHandle::is_finished`, true once it returned).
const MORE_LOOKS: [&str; 4] = [
    ".load(",
    ".sender_count()",
    ".is_disconnected()",
    ".is_finished()",
];

/// Looks into the buffer: taking from it, or asking if it is empty.
const BUFFER_LOOKS: [&str; 7] = [
    "recv",
    ".try_iter()",
    ".drain()",
    ".iter()",
    ".is_empty()",
    ".len()",
    "select",
];

/// What a look at whether more can come, found at byte `at` of `body`,
/// looks at, in words: "the flag `stop`", "the count of senders".
fn more_look(body: &str, at: usize) -> (String, String) {
    let on = called_on(body, at);
    if body[at..].starts_with(".load(") {
        (format!("`{on}.load(..)`"), format!("the flag `{on}`"))
    } else if body[at..].starts_with(".lock()") {
        (format!("`{on}.lock()`"), format!("the flag `{on}`"))
    } else if body[at..].starts_with(".is_finished()") {
        (
            format!("`{on}.is_finished()`"),
            format!("the thread `{on}`"),
        )
    } else {
        let call = MORE_LOOKS
            .iter()
            .find(|look| body[at..].starts_with(*look))
            .unwrap_or(&MORE_LOOKS[1]);
        (format!("`{on}{call}`"), "the count of senders".to_string())
    }
}

/// Whether byte `at` of `body` sits in the block where a consumer read
/// the sentinel: a `Message::Sentinel => {..}` arm, an `if let` on it, or
/// the `else` of `let Message::Item(item) = message else {..}`.
fn reads_the_sentinel(body: &str, at: usize) -> bool {
    let block = branch_opener(body, at);
    let head = body[..block]
        .rsplit([';', '{', '}'])
        .next()
        .unwrap_or_default();
    // A match arm's own pattern, not the arms before it on the line.
    let pattern = head.trim_end().trim_end_matches("=>");
    let pattern = pattern.rsplit([',', '>']).next().unwrap_or_default();
    pattern.contains("Sentinel")
        || head.trim_start().starts_with("let Message::Item") && head.trim_end().ends_with("else")
}

/// Whether every raise of `flag` in the file comes after a look into the
/// buffer in its block (`for item in queue.try_iter() {..}
/// drained.store(true, ..)`), or where a consumer reads the sentinel
/// (`Message::Sentinel => { seen.store(true, ..); .. }`): such a flag says
/// the buffer holds no more items. The one sentinel of the exercises with
/// several consumers comes after every item, so every item was taken
/// before it. A stop on such a flag needs no look after.
fn certifies_empty(source: &str, flag: &str) -> bool {
    let raise = format!("{flag}.store(true");
    let raises: Vec<bool> = functions(source)
        .iter()
        .flat_map(|(_, body)| {
            body.match_indices(&raise)
                .map(|(at, _)| {
                    let block = branch_opener(body, at);
                    reads_the_sentinel(body, at)
                        || [".try_iter()", ".drain()", ".is_empty()", "try_recv"]
                            .iter()
                            .any(|look| body[block..at].contains(look))
                })
                .collect::<Vec<_>>()
        })
        .collect();
    !raises.is_empty() && raises.iter().all(|&after_a_look| after_a_look)
}

/// Whether `body` sends `code` (`.send(Message::Sentinel)`) from a loop
/// that does not receive: `for _ in 0..others { .. }`, `while n > 0`, or
/// an iterator's `for_each`.
/// Whether `body` sends `code` twice in one path: two sends with no
/// branch between them (`else`, a match arm) and no way out (`break`,
/// `return`, `continue`).
pub(super) fn sent_twice(body: &str, code: &str) -> bool {
    let sends: Vec<usize> = body
        .match_indices(".send(")
        .map(|(at, _)| at)
        .filter(|&at| {
            body[at..]
                .split(')')
                .next()
                .unwrap_or_default()
                .contains(code)
        })
        .collect();
    sends.windows(2).any(|pair| {
        let between = &body[pair[0]..pair[1]];
        !["else", "=>", "return", "break", "continue"]
            .iter()
            .any(|word| between.contains(word))
    })
}

pub(super) fn sent_in_a_loop(body: &str, code: &str) -> bool {
    const RECEIVES: [&str; 5] = ["recv", ".iter()", "try_iter", " in queue", " in &queue"];
    for (at, _) in body.match_indices(".send(") {
        let sent = body[at..].split(')').next().unwrap_or_default();
        if !sent.contains(code) {
            continue;
        }
        let statement = body[..at]
            .rsplit([';', '{', '}'])
            .next()
            .unwrap_or_default();
        if statement.contains("for_each(") {
            return true;
        }
        // Each block around the send, innermost first.
        let mut end = at;
        while end > 0 {
            let open = branch_opener(body, end);
            if open == 0 {
                break;
            }
            let head = body[..open]
                .rsplit([';', '{', '}'])
                .next()
                .unwrap_or_default()
                .trim();
            let block = &body[open..block_end(body, open).unwrap_or(body.len())];
            let receives = |text: &str| RECEIVES.iter().any(|r| text.contains(r));
            // `for _ in 0..n`, `while left > 0`, or a `loop` with no receive.
            let counted = head.starts_with("for ") && head.contains("..") && !receives(head)
                || head.starts_with("while ") && !head.contains("let ") && !receives(head)
                || head == "loop" && !receives(block);
            if counted {
                return true;
            }
            end = open;
        }
    }
    false
}

/// Where the block that holds byte `at` of `body` opens.
fn branch_opener(body: &str, at: usize) -> usize {
    let mut depth = 0;
    for (i, c) in body[..at].char_indices().rev() {
        match c {
            '}' => depth += 1,
            '{' if depth == 0 => return i,
            '{' => depth -= 1,
            _ => {}
        }
    }
    0
}

/// [`stops_in_the_wrong_order`]'s first shape: `fn name` (its `body`)
/// looks at the buffer first, then at whether more can come, in one
/// condition, or in `let` statements before the block they decide.
fn buffer_looked_first(source: &str, name: &str, body: &str) -> Option<String> {
    // The buffer first, then whether more can come, in one condition,
    // or in `let` statements before the block they decide: a count of
    // the buffer kept for later (`let left = queue.len();`) is a look.
    let kept_counts = body.match_indices(".len()").filter(|&(at, _)| {
        let statement = body[..at]
            .rsplit(['{', '}', ';'])
            .next()
            .unwrap_or_default();
        statement.trim_start().starts_with("let ") && channel_end(source, &called_on(body, at))
    });
    for (at, look) in EMPTIES
        .iter()
        .flat_map(|e| body.match_indices(e))
        .chain(kept_counts)
    {
        let condition = &body[at..];
        let statement = body[..at]
            .rsplit(['{', '}', ';'])
            .next()
            .unwrap_or_default();
        let ends: &[&str] = if statement.trim_start().starts_with("let ") {
            &["{", "=>"]
        } else {
            &["{", ";", "=>"]
        };
        let end = ends
            .iter()
            .filter_map(|stop| condition.find(stop))
            .min()
            .unwrap_or(condition.len());
        if let Some(more) = MORE_LOOKS
            .iter()
            .chain(&[".lock()"])
            .filter_map(|look| condition[..end].find(look))
            .min()
        {
            let (call, what) = more_look(body, at + more);
            let buffer = called_on(body, at);
            return Some(format!(
                "`fn {name}` looks at the buffer (`{buffer}{look}`) before it looks at \
                 {what} ({call}): the producer can send its last item and be done between \
                 the two looks, and the consumer then stops with that item unread (a race \
                 that shows once in many runs). Look at {what} first: once nothing more can \
                 come, an empty buffer means the end"
            ));
        }
    }
    None
}

/// A consumer that decides to stop in the wrong order. It must first see
/// that nothing more can come (the flag up, no sender left), and only then
/// find the buffer empty. Looking at the buffer first, or stopping on the
/// flag without looking at the buffer again after it, leaves a gap: the
/// producer sends its last item and raises the flag in between, and the
/// consumer stops with that item unread. The gap is a few instructions
/// wide, and no pace of the runs widens it, so grading looks for these
/// shapes in the file.
fn stops_in_the_wrong_order(source: &str) -> Option<String> {
    for (name, body) in functions(source) {
        if let Some(problem) = buffer_looked_first(source, &name, &body) {
            return Some(problem);
        }
        if !body.contains("recv") && !body.contains(".try_iter()") {
            continue;
        }
        // Whether more can come, then a stop, with no look at the buffer
        // in between.
        for look in MORE_LOOKS {
            for (at, _) in body.match_indices(look) {
                // A count of the items this function takes, which another
                // consumer's takes add to: once it reaches the total,
                // nothing is left to take.
                let counted = format!("{}.fetch_add(", called_on(&body, at));
                if look == ".load(" && body.contains(&counted) {
                    continue;
                }
                // A look made where the consumer read the sentinel decides
                // what to do with it, not whether to stop: it stops anyway.
                if reads_the_sentinel(&body, at) {
                    continue;
                }
                let after = &body[at + look.len()..];
                let mut depth = 0i32;
                let mut stop = None;
                for (i, c) in after.char_indices() {
                    match c {
                        '{' => depth += 1,
                        '}' => depth -= 1,
                        ';' if depth == 0 => break,
                        _ => {}
                    }
                    if depth < 0 {
                        break;
                    }
                    let word =
                        |w: &str| after[i..].starts_with(w) && !after[..i].ends_with(name_char);
                    if word("break") || word("return") {
                        stop = Some(i);
                        break;
                    }
                }
                let Some(stop) = stop else { continue };
                // `return queue.try_recv().ok()`: what it returns is a look
                // at the buffer, made after the flag's (a helper that gives
                // the next item, called again until it gives none).
                if after[stop..].starts_with("return")
                    && BUFFER_LOOKS
                        .iter()
                        .any(|b| statement_from(&after[stop..]).contains(b))
                {
                    continue;
                }
                // A `break` out of a loop that takes nothing from the buffer,
                // in no loop that does (one that hands the sentinel on while
                // others still run, once the consumer has done taking), ends
                // that loop, not the consumer's taking. (A labelled `break
                // 'outer` may leave more: it stops.)
                if after[stop..].starts_with("break")
                    && !after[stop + "break".len()..].trim_start().starts_with('\'')
                    && only_loops_that_take_nothing(&body, at + look.len() + stop)
                {
                    continue;
                }
                if takes_one_then_stops(&after[..stop]) {
                    let (call, what) = more_look(&body, at);
                    return Some(format!(
                        "`fn {name}` sees {call}, takes one more item from the buffer, and \
                         stops whether it found one or not: more than one can be left (the \
                         producer can send several and be done while the consumer waits), and \
                         the rest are never processed. Once {what} says nothing more comes, \
                         take items until the buffer is empty (`while let Ok(item) = \
                         queue.try_recv()`), then stop"
                    ));
                }
                if BUFFER_LOOKS.iter().any(|b| after[..stop].contains(b))
                    || certifies_empty(source, &called_on(&body, at))
                {
                    continue;
                }
                let (call, what) = more_look(&body, at);
                return Some(format!(
                    "`fn {name}` stops when it sees {call} without looking at the buffer after \
                     it: its last look at the buffer came before, and the producer can send its \
                     last item and be done in between, so the consumer stops with that item \
                     unread (a race that shows once in many runs). Once {what} says nothing more \
                     comes, take what is left (`try_recv` or `try_iter`) before stopping"
                ));
            }
        }
    }
    None
}

/// The statement that starts `text`, up to its `;` or the `}` that
/// closes the block it sits in.
fn statement_from(text: &str) -> &str {
    let mut depth = 0i32;
    for (i, c) in text.char_indices() {
        match c {
            '{' | '(' | '[' => depth += 1,
            '}' | ')' | ']' | ';' | ',' if depth == 0 => return &text[..i],
            '}' | ')' | ']' => depth -= 1,
            _ => {}
        }
    }
    text
}

/// Whether byte `at` of `body` sits in a loop, and in none that takes
/// from the buffer (`recv`, `try_iter`), however far out.
fn only_loops_that_take_nothing(body: &str, at: usize) -> bool {
    let mut around = loop_around(body, at);
    let mut any = false;
    while let Some(range) = around {
        let text = &body[range.clone()];
        if text.contains("recv") || text.contains(".try_iter()") {
            return false;
        }
        any = true;
        around = loop_around(body, range.start);
    }
    any
}

/// The innermost loop (`loop`, `while`, `for`) around byte `at` of
/// `body`, from its keyword to the end of its block: the loop a `break`
/// there leaves.
fn loop_around(body: &str, at: usize) -> Option<std::ops::Range<usize>> {
    let (start, open) = blocks_around(body, at).find(|&(start, open)| {
        let head = body[start..open].trim_start();
        // A label (`'outer: loop`) comes before the keyword.
        let head = head
            .strip_prefix('\'')
            .and_then(|rest| rest.split_once(": "))
            .map_or(head, |(_, rest)| rest.trim_start());
        head.starts_with("loop") || head.starts_with("while ") || head.starts_with("for ")
    })?;
    let start = body.len() - body[start..].trim_start().len();
    Some(start..block_end(body, open)? + 1)
}

/// The blocks around byte `at` of `text`, innermost first: where each
/// one's head starts (after the `;` or brace before it) and where its `{`
/// is.
pub(super) fn blocks_around(text: &str, at: usize) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut depth = 0i32;
    text[..at].char_indices().rev().filter_map(move |(i, c)| {
        match c {
            '}' => depth += 1,
            '{' if depth > 0 => depth -= 1,
            '{' => {
                let start = text[..i].rfind([';', '{', '}']).map_or(0, |j| j + 1);
                return Some((start, i));
            }
            _ => {}
        }
        None
    })
}

/// `list` parted at its commas outside brackets and braces: `a: T<'x,
/// U>, b: V` in two, `a::{b, c}, d` too.
pub(super) fn top_level(list: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut from) = (0i32, 0);
    for (i, c) in list.char_indices() {
        match c {
            '<' | '(' | '[' | '{' => depth += 1,
            '>' | ')' | ']' | '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&list[from..i]);
                from = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&list[from..]);
    parts
}

/// Where the block that opens at byte `open` of `text` (a `{`) closes.
pub(super) fn block_end(text: &str, open: usize) -> Option<usize> {
    closes(text, open, ('{', '}'))
}

/// Where the parentheses that open at byte `open` of `text` close.
pub(super) fn paren_end(text: &str, open: usize) -> Option<usize> {
    closes(text, open, ('(', ')'))
}

/// Where the bracket `pair.0` at byte `open` of `text` is closed by its
/// `pair.1`.
fn closes(text: &str, open: usize, pair: (char, char)) -> Option<usize> {
    let mut depth = 0;
    text[open..]
        .char_indices()
        .find(|&(_, c)| {
            depth += match c {
                c if c == pair.0 => 1,
                c if c == pair.1 => -1,
                _ => 0,
            };
            depth == 0
        })
        .map(|(i, _)| open + i)
}

/// Whether `between`, the code from a look at whether more can come to a
/// stop, takes one item with `if let Ok(item) = queue.try_recv() {..}`
/// and then stops anyway: a take that finds an item neither loops nor
/// goes back to waiting.
fn takes_one_then_stops(between: &str) -> bool {
    let Some(at) = ["if let Ok(", "if let Some("]
        .iter()
        .filter_map(|take| between.find(take))
        .min()
    else {
        return false;
    };
    let Some(open) = between[at..].find('{').map(|i| at + i) else {
        return false;
    };
    if !["try_recv(", "recv_timeout(", ".recv("]
        .iter()
        .any(|look| between[at..open].contains(look))
    {
        return false;
    }
    let Some(close) = block_end(between, open) else {
        return false;
    };
    let block = &between[open..close];
    let goes_on = ["continue", "loop", "while "]
        .iter()
        .any(|word| block.contains(word));
    !goes_on && between[close + 1..].trim().is_empty()
}

/// Calls that put a thread to sleep for a while.
const SLEEPS: [&str; 4] = ["sleep(", "park_timeout(", "recv_timeout(", "wait_timeout("];

/// A producer that decides from the number of senders, or of handles to
/// an `Arc`, whether it is the last: two that finish together each see
/// the other's, and neither sends the sentinel or lets the channel close
/// (or both do).
fn decides_from_sender_count(source: &str) -> Option<String> {
    functions(source).into_iter().find_map(|(name, body)| {
        let acts = body.contains(".send(") || body.contains("drop(");
        if !acts || body.contains("recv") {
            return None;
        }
        let looked = if let Some(at) = body.find(".sender_count()") {
            // `while queue.sender_count() > 1 { .. }`: one thread that
            // waits for the count to fall, looking again and again.
            let statement = body[..at]
                .rsplit([';', '{', '}'])
                .next()
                .unwrap_or_default();
            if statement.trim_start().starts_with("while ") {
                // One thread that waits with a sleep each time round
                // (producer 0 waiting to hold the last sender) is a poll,
                // not a spin, and decides nothing another does too.
                let sleeps = body[at..].find('{').is_some_and(|open| {
                    let close = block_end(&body, at + open).unwrap_or(body.len());
                    SLEEPS
                        .iter()
                        .any(|sleep| body[at + open..close].contains(sleep))
                });
                if sleeps {
                    return None;
                }
                return Some(format!(
                    "`fn {name}` waits for `{}.sender_count()` to fall by looking at it \
                     again and again: a wait that never sleeps keeps a core busy for as long \
                     as it lasts. Wait in a call that sleeps until the others are done (a \
                     barrier's `wait`, a `join`), or let the last one act on its own",
                    called_on(&body, at)
                ));
            }
            // Under a lock, whether the sender it guards is the only one
            // left: each producer looks once its own sender is gone (a
            // producer that looked while it still held its own would
            // never see 1, and the run would hang), one at a time, so the
            // last to look sees 1.
            let after = body[at + ".sender_count()".len()..].trim_start();
            let alone = ["== 1", "<= 1", "< 2"].iter().any(|c| after.starts_with(c));
            if alone && body[..at].contains(".lock()") {
                return None;
            }
            format!("`{}.sender_count()`", called_on(&body, at))
        } else if let Some(at) = body.find("strong_count(") {
            let call = body[..at].rsplit(|c: char| c.is_whitespace() || c == '(' || c == '{');
            let path = call.into_iter().next().unwrap_or_default();
            format!("`{path}strong_count(..)`")
        } else {
            return None;
        };
        Some(format!(
            "`fn {name}` decides from {looked} whether it is the last: the count is how many \
             there were when it looked, and two producers that finish together each see the \
             other's, so neither acts as the last (or both do): a race that shows once in many \
             runs. Let one step decide, such as a barrier's leader (`barrier.wait().is_leader()`) \
             or a count changed and read at once (`fetch_sub`)"
        ))
    })
}

/// A flag raised or read with `Ordering::Relaxed`: it orders nothing else,
/// so a consumer that sees it up is not promised the items sent before it
/// went up. No run on this machine shows it; the memory model allows it.
fn relaxed_flag(source: &str) -> Option<String> {
    // A flag read only after a `join()`: the join orders the joined
    // thread's every write before the read, `Relaxed` ones too.
    let plain = plain_functions(source);
    let read_after_joins = |flag: &str| {
        let load = format!("{flag}.load(");
        let reads: Vec<bool> = plain
            .iter()
            .flat_map(|(_, body)| {
                body.match_indices(&load)
                    .map(|(at, _)| body[..at].contains(".join()"))
                    .collect::<Vec<_>>()
            })
            .collect();
        !reads.is_empty() && reads.iter().all(|&after_a_join| after_a_join)
    };
    for (name, body) in functions(source) {
        for (at, _) in body
            .match_indices(".store(")
            .chain(body.match_indices(".load("))
        {
            let flag = called_on(&body, at);
            let call = &body[at..];
            let call = &call[..call.find(')').unwrap_or(call.len())];
            let is_flag = source.contains(&format!("{flag}.store(true"))
                || source.contains(&format!("{flag}.store(false"));
            // The ordering may be named elsewhere: `const ORDER: Ordering = Relaxed`.
            let ordering = call.rsplit([',', '(']).next().unwrap_or_default().trim();
            let named = ordering.rsplit("::").next().unwrap_or_default();
            let relaxed = call.contains("Relaxed")
                || (!named.is_empty()
                    && source.split([';', '\n']).any(|line| {
                        (line.contains(&format!("const {named}"))
                            || line.contains(&format!("let {named}")))
                            && line.contains("Relaxed")
                    }));
            let is_load = body[at..].starts_with(".load(");
            if is_flag && relaxed && !read_after_joins(&flag) && !fenced(&body, at, is_load) {
                return Some(format!(
                    "`fn {name}` raises or reads the flag `{flag}` with `Ordering::Relaxed`, \
                     which orders nothing else: a thread that sees the flag up is not promised \
                     to see what was sent before it went up. Raise it with `Release` and read \
                     it with `Acquire` (or use `SeqCst`)"
                ));
            }
        }
    }
    // A count changed with `Relaxed` (`fetch_add(1, Relaxed)`) that another
    // thread reads to decide is a flag too.
    let functions = plain_functions(source);
    for (name, body) in &functions {
        for write in [".fetch_", ".swap(", ".compare_exchange", ".store("] {
            for (at, _) in body.match_indices(write) {
                let call = &body[at..];
                let call = &call[..call.find(')').unwrap_or(call.len())];
                let target = called_on(body, at);
                let read_elsewhere = functions.iter().any(|(other, text)| {
                    other != name && other != "main" && text.contains(&format!("{target}.load("))
                });
                if call.contains("Relaxed") && read_elsewhere && !fenced(body, at, false) {
                    return Some(format!(
                        "`fn {name}` changes `{target}` with `Ordering::Relaxed`, and another \
                         thread reads it to decide: `Relaxed` orders nothing else, so a thread \
                         that sees the change is not promised to see what was sent before it. \
                         Change it with `Release` (or `AcqRel`) and read it with `Acquire`"
                    ));
                }
            }
        }
    }
    None
}

/// Whether the `Relaxed` access at byte `at` of `body` is ordered by a
/// fence: a read by an `Acquire` fence after it (`fence(Acquire)` once
/// the flag is seen up), a write by a `Release` fence before it. Either
/// pairs with the other side as an `Acquire` read or `Release` write would.
fn fenced(body: &str, at: usize, is_load: bool) -> bool {
    let (text, orders) = if is_load {
        (&body[at..], ["Acquire", "AcqRel", "SeqCst"])
    } else {
        (&body[..at], ["Release", "AcqRel", "SeqCst"])
    };
    text.match_indices("fence(").any(|(fence, _)| {
        let call = &text[fence..];
        let call = &call[..call.find(')').unwrap_or(call.len())];
        orders.iter().any(|order| call.contains(order))
    })
}

/// The arm of a `match` that starts at byte `at` of `body` (its pattern):
/// the pattern and guard, and what follows the `=>`, to the arm's end.
fn arm_at(body: &str, at: usize) -> Option<(&str, &str)> {
    let arrow = at + body[at..].find("=>")?;
    let head = &body[at..arrow];
    if head.contains(['{', ';']) {
        return None;
    }
    let rest = &body[arrow + 2..];
    let mut depth = 0i32;
    for (i, c) in rest.char_indices() {
        match c {
            '{' | '(' => depth += 1,
            '}' | ')' | ',' if depth == 0 => return Some((head, &rest[..i])),
            '}' | ')' => {
                depth -= 1;
                if depth == 0 && rest.trim_start().starts_with('{') && c == '}' {
                    return Some((head, &rest[..=i]));
                }
            }
            _ => {}
        }
    }
    Some((head, rest))
}

/// A consumer that stops when a wait timed out, or a poll found the
/// buffer empty, with no look at whether more can come: a timeout says
/// nothing came for a while, not that nothing more will. The stall runs
/// show it for a timeout shorter than the stall; counting timeouts, or
/// a long one, does not hide it here.
fn stops_on_a_timeout(source: &str) -> Option<String> {
    for (name, body) in functions(source) {
        if !body.contains("recv_timeout") && !body.contains("try_recv") {
            continue;
        }
        for token in ["Timeout", "Empty"] {
            for (at, _) in body.match_indices(token) {
                let start = body[..at].rfind([',', '{', '}']).map_or(0, |i| i + 1);
                let Some((head, arm)) = arm_at(&body, start) else {
                    continue;
                };
                if head.contains("Disconnected") || !head.contains(token) {
                    continue;
                }
                let said = |text: &str| {
                    MORE_LOOKS.iter().any(|look| text.contains(look)) || text.contains("Sentinel")
                };
                let stops = ["break", "return"].iter().any(|w| {
                    arm.match_indices(w)
                        .any(|(i, _)| whole_name(arm, i, w.len()))
                });
                // A match under a look at the flag (its arm, or its `if`)
                // has looked already.
                let before = body[..start].rfind("match ").map_or("", |m| {
                    let from = body[..m].char_indices().rev().nth(80).map_or(0, |(i, _)| i);
                    &body[from..m]
                });
                // An arm that then waits in a blocking `recv` stops only
                // when that fails: once every sender is gone.
                let waits = arm.contains(".recv()");
                if stops && !waits && !said(head) && !said(arm) && !said(before) {
                    return Some(format!(
                        "`fn {name}` stops when a wait finds nothing (`{}`), with no look at \
                         whether more can come: a timeout says nothing came for a while, not \
                         that nothing more will, and a slow producer's next item is lost \
                         however long the wait or however many. Stop on what says the end: \
                         a sentinel, a closed channel, or a flag raised after the last send",
                        head.trim()
                    ));
                }
            }
        }
    }
    None
}

/// What leads to byte `at` of `body`: the head of the block it is in
/// (`Err(TryRecvError::Disconnected) => {`, `} else {`), or of the arm
/// (`Message::Sentinel =>`), and the statement up to it.
fn branch_of(body: &str, at: usize) -> &str {
    let opener = branch_opener(body, at);
    let head = body[..opener]
        .rfind([';', '{', '}', ','])
        .map_or(0, |i| i + 1);
    // From the block's head, or from the arm's start if it has no block.
    let arm = body[..at].rfind([';', '{', '}', ',']).map_or(0, |i| i + 1);
    if arm > opener {
        &body[arm..at]
    } else {
        &body[head..at]
    }
}

/// A polling loop that ends on a count of its own: `while misses < 3000`,
/// where `misses` grows when a poll finds nothing. However high the count,
/// a slow producer's next item comes after it.
fn ends_on_a_count(source: &str) -> Option<String> {
    let ends = |text: &str| {
        MORE_LOOKS.iter().any(|look| text.contains(look))
            || [
                "Disconnected",
                "Sentinel",
                ".recv()",
                ".is_empty()",
                ".len()",
            ]
            .iter()
            .any(|end| text.contains(end))
    };
    for (name, body) in functions(source) {
        if !body.contains("try_recv") && !body.contains("recv_timeout") {
            continue;
        }
        for (at, _) in body.match_indices("while ") {
            let head = &body[at + "while ".len()..];
            let condition = &head[..head.find('{').unwrap_or(head.len())];
            if condition.starts_with("let ") || ends(condition) {
                continue;
            }
            // Each variable of the condition, and whether some change of
            // it follows a look that says the end.
            let counted = condition
                .split(|c: char| !name_char(c))
                .filter(|word| word.starts_with(|c: char| c.is_alphabetic() || c == '_'))
                .find(|word| {
                    let changes: Vec<usize> = [" = ", " += ", " -= "]
                        .iter()
                        .flat_map(|op| {
                            let change = format!("{word}{op}");
                            body.match_indices(&change)
                                .map(|(i, _)| i)
                                .collect::<Vec<_>>()
                        })
                        .filter(|&i| i > at)
                        .collect();
                    !changes.is_empty() && !changes.iter().any(|&i| ends(branch_of(&body, i)))
                });
            if counted.is_some() {
                return Some(format!(
                    "`fn {name}` polls until `{}` says stop, a count of its own: polls that \
                     found nothing say nothing came for a while, not that nothing more will, \
                     and a slow producer's next item is lost however high the count. End the \
                     loop on what says the end: a sentinel, a closed channel, or a flag raised \
                     after the last send",
                    condition.trim()
                ));
            }
        }
    }
    None
}

/// A decision made by the clock: whether a stream has ended, or a thread
/// is done, is never a matter of time. A slow producer, or a machine that
/// stalls, outlasts any deadline, however long.
fn decides_by_the_clock(source: &str) -> Option<String> {
    let clock = CLOCKS.iter().find(|clock| source.contains(*clock))?;
    let functions = plain_functions(source);
    // A clock read only to be reported (`eprintln!` how long a wait
    // took), in functions that hold every use of it, decides nothing.
    let uses = |text: &str| {
        CLOCKS
            .iter()
            .map(|c| text.matches(c).count())
            .sum::<usize>()
    };
    let in_functions: usize = functions.iter().map(|(_, body)| uses(body)).sum();
    if in_functions >= uses(source) && functions.iter().all(|(_, body)| only_reported(body)) {
        return None;
    }
    let name = functions
        .into_iter()
        .find(|(_, body)| body.contains(clock))
        .map_or_else(
            || "the file".to_string(),
            |(name, _)| format!("`fn {name}`"),
        );
    Some(format!(
        "{name} decides by the clock (`{}`): whether a stream has ended, or a thread is \
         done, is never a matter of time, since a slow producer, or a machine that stalls, \
         outlasts any deadline. End on a sentinel, a closed channel, a flag raised after the \
         last send, or a join",
        clock.trim_matches(['.', '_', '('])
    ))
}

/// What reads the clock, or waits on it.
const CLOCKS: [&str; 5] = [
    "Instant::now()",
    ".elapsed()",
    "SystemTime",
    "_deadline(",
    "park_timeout(",
];

/// The macros that print, or make text: what their arguments hold is
/// reported, not decided on.
const REPORTS: [&str; 7] = [
    "eprintln!(",
    "println!(",
    "eprint!(",
    "print!(",
    "format!(",
    "writeln!(",
    "write!(",
];

/// Whether every use of the clock in `body` goes to a report: read into
/// a name (`let asked = Instant::now()`, `waited += asked.elapsed()`),
/// and those names only printed, never compared, matched, returned or
/// waited on.
fn only_reported(body: &str) -> bool {
    if body.contains("_deadline(") || body.contains("park_timeout(") {
        return false;
    }
    // The body without what its printing macros are given.
    let mut code = body.to_string();
    while let Some(at) = REPORTS.iter().filter_map(|m| code.find(m)).min() {
        let open = at + code[at..].find('(').unwrap_or(0);
        let close = paren_end(&code, open).map_or(code.len(), |close| close + 1);
        code.replace_range(at..close, "()");
    }
    let statements: Vec<&str> = code.split([';', '{', '}']).map(str::trim).collect();
    // `let NAME = EXPR`, `let mut NAME: T = EXPR`, `NAME += EXPR`: the
    // name, and the expression, where it decides nothing itself.
    let binding = |statement: &str| -> Option<(String, String)> {
        let (left, expression) = statement.split_once('=')?;
        let left = left.trim_end_matches(['+', '-']).trim();
        let left = left.strip_prefix("let ").unwrap_or(left).trim();
        let left = left.strip_prefix("mut ").unwrap_or(left);
        let name = left.split(':').next()?.trim();
        let decides = ["if ", "match ", "<", ">", "=", "!", "return", "break", "?"];
        let plain = !name.is_empty() && name.chars().all(name_char);
        (plain && !decides.iter().any(|d| expression.contains(d)))
            .then(|| (name.to_string(), expression.to_string()))
    };
    let mut timed: Vec<String> = Vec::new();
    let reads_the_clock = |text: &str, timed: &[String]| {
        CLOCKS.iter().any(|clock| text.contains(clock))
            || timed.iter().any(|name| {
                text.match_indices(name.as_str())
                    .any(|(at, _)| whole_name(text, at, name.len()))
            })
    };
    loop {
        let known = timed.len();
        for statement in &statements {
            if let Some((name, expression)) = binding(statement)
                && reads_the_clock(&expression, &timed)
                && !timed.contains(&name)
            {
                timed.push(name);
            }
        }
        if timed.len() == known {
            break;
        }
    }
    statements.iter().all(|statement| {
        !reads_the_clock(statement, &timed)
            || binding(statement).is_some_and(|(name, _)| timed.contains(&name))
    })
}

/// A sentinel handed on with a timeout, and let go when no one takes it in
/// time: at capacity 0, when the consumers are busy for longer, it is
/// lost, and those that wait for it wait for ever.
fn sentinel_let_go(source: &str) -> Option<String> {
    for (name, body) in plain_functions(source) {
        // A `Selector` that sends the sentinel and waits with a timeout.
        if body.contains("Selector")
            && body.contains("Sentinel")
            && ["wait_timeout(", "wait_deadline("]
                .iter()
                .any(|w| body.contains(w))
        {
            return Some(format!(
                "`fn {name}` sends the sentinel through a `Selector` that gives up after a \
                 timeout: when the consumers are busy for longer, the sentinel is lost, and \
                 those that wait for it wait for ever. A sentinel must arrive: `send` it"
            ));
        }
        for call in [".send_timeout(", ".try_send(", ".send_deadline("] {
            // Each send so that lets its message go, with what it sends.
            let let_go: Vec<&str> = body
                .match_indices(call)
                .filter_map(|(at, _)| {
                    let sent = body[at + call.len()..]
                        .split(')')
                        .next()
                        .unwrap_or_default();
                    let statement = body[..at]
                        .rsplit([';', '{', '}'])
                        .next()
                        .unwrap_or_default();
                    let answered = ["match ", "if let", "while let", "loop"]
                        .iter()
                        .any(|kept| statement.contains(kept))
                        || sent_after_all(&body, at, statement);
                    (!answered).then_some(sent)
                })
                .collect();
            if let_go.iter().any(|sent| sent.contains("Sentinel")) {
                let items = if let_go.iter().any(|sent| !sent.contains("Sentinel")) {
                    " (its items, sent the same way, are lost so too)"
                } else {
                    ""
                };
                return Some(format!(
                    "`fn {name}` sends the sentinel with `{}` and lets it go when no \
                     one takes it in time: when the consumers are busy for longer (at \
                     capacity 0, or with a full buffer), the sentinel is lost{items}, and \
                     those that wait for it wait for ever. A sentinel must arrive: `send` it",
                    &call[1..call.len() - 1]
                ));
            }
        }
    }
    None
}

/// Whether the `if` whose condition tries a send at `at` (`if
/// queue.try_send(Sentinel).is_err() { .. }`) sends the sentinel with a
/// `send` that waits, in its block or its `else`: nothing is let go.
fn sent_after_all(body: &str, at: usize, statement: &str) -> bool {
    if !statement.trim_start().starts_with("if ") {
        return false;
    }
    let Some(open) = body[at..].find('{').map(|i| at + i) else {
        return false;
    };
    let Some(close) = block_end(body, open) else {
        return false;
    };
    let mut blocks = body[open..close].to_string();
    if let Some(rest) = body[close + 1..].trim_start().strip_prefix("else {") {
        let open = body.len() - rest.len() - 1;
        blocks.push_str(&body[open..block_end(body, open).unwrap_or(body.len())]);
    }
    blocks.match_indices(".send(").any(|(from, _)| {
        let sent = blocks[from + ".send(".len()..].split(')').next();
        sent.is_some_and(|sent| sent.contains("Sentinel"))
    })
}

/// A send that gives its item up while the buffer is still full: a
/// `match` on `try_send` (or `send_timeout`, `send_deadline`) whose retry
/// arm holds only while a guard does (`Full(item) if tries < 1000`), so
/// that past it the item falls to an arm that lets it go. However many
/// tries, a consumer can be busy for longer; the stall runs show a give-up
/// within half a minute, and this shape one that takes longer.
fn gives_up_a_send(source: &str) -> Option<String> {
    for (name, body) in plain_functions(source) {
        for (at, _) in body.match_indices("match ") {
            let Some(open) = body[at..].find('{').map(|i| at + i) else {
                continue;
            };
            let scrutinee = &body[at..open];
            let Some(call) = [".try_send(", ".send_timeout(", ".send_deadline("]
                .into_iter()
                .find(|call| scrutinee.contains(call))
            else {
                continue;
            };
            // The match's block, to its closing brace.
            let close = block_end(&body, open).unwrap_or(body.len());
            let block = &body[open + 1..close];
            for (arrow, _) in block.match_indices("=>") {
                let arm = block[..arrow]
                    .rsplit([',', '{', '}'])
                    .next()
                    .unwrap_or_default();
                let Some((pattern, guard)) = arm.split_once(" if ") else {
                    continue;
                };
                let retries = ["Full", "Timeout", "Err("]
                    .iter()
                    .any(|failure| pattern.contains(failure))
                    && !pattern.contains("Disconnected");
                let gone = ["is_disconnected", "receiver_count", "Disconnected"]
                    .iter()
                    .any(|look| guard.contains(look));
                if retries && !gone {
                    return Some(format!(
                        "`fn {name}` tries `{}` again only while `{}` holds, then lets the \
                         item go with the buffer still full: a consumer busy for longer than \
                         all the tries loses it. Keep trying while the buffer is full (or \
                         `send`, which waits), and stop only when no consumer is left",
                        &call[1..call.len() - 1],
                        guard.trim()
                    ));
                }
            }
        }
    }
    None
}

/// A producer that raises a flag, then sends an item: the flag says "every
/// item is sent" too early, and a consumer that sees it in between finds
/// the buffer empty and stops. A sentinel sent after the flag is fine:
/// the flag is up once every item is out.
fn flag_before_a_send(source: &str) -> Option<String> {
    // A guard whose `Drop` raises a flag raises it where it is dropped:
    // at once, if it is bound to `_`.
    let guards: Vec<String> = source
        .split("impl Drop for ")
        .skip(1)
        .filter(|text| {
            let end = text.find("impl ").unwrap_or(text.len());
            text[..end].contains(".store(") || text[..end].contains(".swap(")
        })
        .map(|text| text.chars().take_while(|&c| name_char(c)).collect())
        .collect();
    let plain = plain_functions(source);
    for (name, body) in functions(source) {
        // A count that decides (`fetch_add(1, ..) + 1 == producers`) is
        // raised as a flag is; so is a guard dropped at once.
        let statement = |at: usize, ends: &[char]| {
            let rest = &body[at..];
            rest[..rest.find(ends).unwrap_or(rest.len())].to_string()
        };
        let mut raises = Vec::new();
        for count in [".fetch_add(", ".fetch_sub("] {
            for (at, _) in body.match_indices(count) {
                // Compared here, read again after it to decide, or read by
                // another function.
                let counter = format!("{}.", called_on(&body, at));
                let read_elsewhere = plain
                    .iter()
                    .any(|(other, text)| other != &name && text.contains(&counter));
                let read_after = body[at..].contains(&format!("{counter}load("));
                if statement(at, &[';', '{']).contains("==") || read_after || read_elsewhere {
                    raises.push(at);
                }
            }
        }
        for (at, _) in body.match_indices("let _ = ") {
            let bound = statement(at, &[';']);
            if guards
                .iter()
                .any(|g| bound.contains(&format!("{g}(")) || bound.contains(&format!("{g} {{")))
            {
                raises.push(at);
            }
        }
        let Some(at) = [".store(", ".swap("]
            .iter()
            .filter_map(|raise| body.find(raise))
            .chain(raises)
            .min()
        else {
            continue;
        };
        let flag = if body[at..].starts_with("let _ = ") {
            body[at + "let _ = ".len()..]
                .split(';')
                .next()
                .unwrap_or_default()
                .to_string()
        } else {
            called_on(&body, at)
        };
        for (send, _) in body[at..].match_indices(".send(") {
            let sent: String = body[at + send + ".send(".len()..]
                .chars()
                .scan(1i32, |depth, c| {
                    *depth += match c {
                        '(' => 1,
                        ')' => -1,
                        _ => 0,
                    };
                    (*depth > 0).then_some(c)
                })
                .collect();
            if sent.contains("Sentinel") {
                continue;
            }
            if body[at..].starts_with(".fetch_") {
                return Some(format!(
                    "`fn {name}` counts itself done (`{flag}`) before it sends `{sent}`: \
                     another producer that counts after it, in between, takes itself for the \
                     last and sends the sentinel, which can then come before that item, and \
                     the item is never processed (a race that shows once in many runs). Count \
                     after the last send"
                ));
            }
            return Some(format!(
                "`fn {name}` raises `{flag}` before it sends `{sent}`: a consumer that sees the \
                 flag in between finds the buffer empty and stops, and that item is never \
                 processed (a race that shows once in many runs). Raise the flag after the last \
                 send"
            ));
        }
    }
    None
}

/// A thread nobody joins: `thread::spawn(..)` whose handle is dropped at
/// once (a statement of its own, or `let _ =`), or kept and never used,
/// in any function. `main` can return while it still runs, and the
/// process ends with it: its last lines, or its last items, are lost in
/// the runs where it is a little late; one that only hands a message on
/// can wait for ever on a send nobody receives, unseen. A scoped thread
/// (`scope.spawn`) is always joined.
fn a_thread_nobody_joins(source: &str) -> Option<String> {
    let plain = plain_functions(source);
    for (name, body) in &plain {
        for (at, _) in body.match_indices("thread::spawn(") {
            // What the thread runs: one that prints, or runs a function of
            // the file, has lines to lose (one that only hands a message on
            // has none).
            let open = at + "thread::spawn".len();
            let close = paren_end(body, open).unwrap_or(body.len());
            let runs = &body[open..close];
            let works = runs.contains("println!")
                || plain.iter().any(|(other, _)| {
                    runs.match_indices(&format!("{other}("))
                        .any(|(i, _)| !runs[..i].ends_with(|c: char| name_char(c) || c == '.'))
                });
            let mut statement = body[..at]
                .rsplit([';', '{', '}'])
                .next()
                .unwrap_or_default();
            // The last expression of a block (`let consumer = { ..;
            // thread::spawn(..) };`): the handle is the block's value.
            if statement.trim().trim_start_matches("std::").is_empty()
                && body[close + 1..].trim_start().starts_with('}')
            {
                let open = (0..at).rev().fold((0i32, None), |(depth, found), i| {
                    match (found, body.as_bytes()[i]) {
                        (Some(_), _) => (depth, found),
                        (None, b'}') => (depth + 1, None),
                        (None, b'{') if depth == 0 => (depth, Some(i)),
                        (None, b'{') => (depth - 1, None),
                        _ => (depth, None),
                    }
                });
                match open.1 {
                    Some(open) => {
                        statement = body[..open]
                            .rsplit([';', '{', '}'])
                            .next()
                            .unwrap_or_default();
                        // A function or closure that returns the handle
                        // hands it to its caller.
                        if !statement.trim_start().starts_with("let ") {
                            continue;
                        }
                    }
                    None => continue,
                }
            }
            let statement = statement.trim().trim_start_matches("std::");
            let kept = statement
                .strip_prefix("let ")
                .map(|rest| rest.trim_start_matches("mut "))
                .and_then(|rest| rest.split([' ', '=', ':']).next())
                .filter(|handle| *handle != "_" && !handle.is_empty());
            // Wrapped in a value of the file's own (`let _thread =
            // Joined(Some(thread::spawn(..)))`) whose `Drop` joins: joined
            // as the value goes.
            let wrapped = statement
                .split_once('=')
                .is_some_and(|(_, value)| !value.trim().is_empty())
                && joins_on_drop(source);
            let dropped = match kept {
                // Used again: joined, or handed to what joins it.
                Some(handle) => {
                    !wrapped
                        && !body[(close + 1).min(body.len())..]
                            .split(|c: char| !name_char(c))
                            .any(|word| word == handle)
                }
                None => statement.is_empty() || statement == "let _ =",
            };
            if dropped && works {
                return Some(format!(
                    "`fn {name}` starts a thread with `thread::spawn` and never joins it: \
                     `main` can return while it still runs, and the program ends with it, \
                     cutting off its last lines or items in the runs where it is a little \
                     late. Keep its handle and `join()` it, or start it in a `thread::scope`"
                ));
            }
            if dropped {
                return Some(format!(
                    "`fn {name}` starts a thread with `thread::spawn` and never joins it: the \
                     program can end while that thread still runs, or still waits (a send \
                     that nobody receives waits for ever), and nothing says so. Every \
                     thread a program starts is joined: keep its handle and `join()` it, or \
                     start it in a `thread::scope`"
                ));
            }
        }
    }
    None
}

/// Whether the file `source` has a `Drop` of its own that joins a thread:
/// `impl Drop for ..` whose `drop` calls `.join()`.
fn joins_on_drop(source: &str) -> bool {
    source.match_indices("impl Drop for").any(|(at, _)| {
        let Some(open) = source[at..].find('{').map(|i| at + i) else {
            return false;
        };
        let end = block_end(source, open).unwrap_or(source.len());
        source[open..end].contains(".join()")
    })
}

/// A lost wakeup: a `Condvar` whose condition is kept outside its mutex.
/// A waiter that looks at an atomic and only then takes the lock to wait
/// (`while done.load(..) < n { cvar.wait(lock.lock()..) }`), or a thread
/// that changes what a waiter waits on and notifies without ever taking
/// the lock: the change and the notify can both land between the
/// waiter's look and its wait, and it waits for ever.
fn lost_wakeup(source: &str) -> Option<String> {
    if !source.contains(".wait(") {
        return None;
    }
    for (name, body) in plain_functions(source) {
        for (at, _) in body.match_indices("while ") {
            let Some(open) = body[at..].find('{').map(|i| at + i) else {
                continue;
            };
            let head = &body[at..open];
            let block = &body[open..block_end(&body, open).unwrap_or(body.len())];
            if head.contains(".load(") && block.contains(".lock()") && block.contains(".wait(") {
                return Some(format!(
                    "`fn {name}` looks at its condition (`{}`) before it takes the lock it \
                     waits with: the thread that changes it can change it and notify in \
                     between, before this one waits, and it then waits for ever (a lost \
                     wakeup, once in many runs). Keep the condition under the `Mutex` and look \
                     at it with the lock held: `let mut done = lock.lock()..; while !*done {{ \
                     done = cvar.wait(done)..; }}`",
                    head.trim_start_matches("while ").trim()
                ));
            }
        }
        let notifies = body.contains(".notify_one()") || body.contains(".notify_all()");
        let changes = body.contains(".fetch_") || body.contains(".store(");
        if notifies && changes && !body.contains(".lock()") {
            return Some(format!(
                "`fn {name}` changes what a `Condvar` waiter waits on and notifies it without \
                 taking the lock: the change and the notify can both land after the waiter \
                 looked and before it waits, and it then waits for ever (a lost wakeup, once \
                 in many runs). Make the change with the `Mutex` locked, then notify"
            ));
        }
    }
    None
}

/// The first race whose shape `source` has, in words.
pub(super) fn races_in(source: &str) -> Option<String> {
    let races = [
        two_step_update,
        stops_in_the_wrong_order,
        flag_before_a_send,
        decides_from_sender_count,
        relaxed_flag,
        sentinel_let_go,
        gives_up_a_send,
        stops_on_a_timeout,
        decides_by_the_clock,
        ends_on_a_count,
        a_thread_nobody_joins,
        lost_wakeup,
        spins_on_a_closed_channel,
    ];
    let source = timeouts_as_written(source);
    races.iter().find_map(|race| race(&source))
}

/// `source` with each wait until a deadline set at the call
/// (`recv_deadline(Instant::now() + wait)`, `send_deadline(message,
/// Instant::now() + wait)`) written as the timed wait it is, as flume
/// itself makes `recv_timeout`: `recv_timeout(wait)`. A deadline set
/// once, before a loop of waits, stays a deadline.
fn timeouts_as_written(source: &str) -> String {
    let mut code = source.to_string();
    let mut from = 0;
    while let Some(found) = code[from..].find("_deadline(") {
        let at = from + found;
        from = at + 1;
        let open = at + "_deadline".len();
        let Some(close) = paren_end(&code, open) else {
            break;
        };
        let arguments = code[open + 1..close].trim().trim_end_matches(',');
        // The deadline is the last argument: after the message, if any.
        let mut depth = 0_i32;
        let mut last_comma = None;
        for (i, c) in arguments.char_indices() {
            match c {
                '(' | '[' | '{' => depth += 1,
                ')' | ']' | '}' => depth -= 1,
                ',' if depth == 0 => last_comma = Some(i),
                _ => {}
            }
        }
        let (message, deadline) = match last_comma {
            Some(comma) => (Some(&arguments[..comma]), &arguments[comma + 1..]),
            None => (None, arguments),
        };
        let deadline = deadline.trim();
        let deadline = deadline.strip_prefix("std::time::").unwrap_or(deadline);
        let Some(wait) = deadline
            .strip_prefix("Instant::now()")
            .and_then(|rest| rest.trim_start().strip_prefix('+'))
        else {
            continue;
        };
        let call = match message {
            Some(message) => format!("_timeout({}, {})", message.trim(), wait.trim()),
            None => format!("_timeout({})", wait.trim()),
        };
        code.replace_range(at..=close, &call);
    }
    code
}

/// A join whose result is thrown away (`let _ = consumer.join();`, or
/// turned into a value with `unwrap_or_default()`, or only printed when it
/// is an `Err`): a
/// thread that panicked is then taken for one that ended well, and the
/// program exits with 0 having lost its items. Within a `thread::scope`
/// too: a handle joined by hand is no longer the scope's to report. A
/// file that learns of panics another way (a hook, `catch_unwind`, a
/// guard that looks at `thread::panicking()`) may.
pub(super) fn throws_a_panic_away(source: &str) -> Option<String> {
    // What passes a panic on, in a closure given `unwrap_or_else`; and
    // the lines that only tell of it.
    const FAILS: [&str; 5] = ["resume_unwind", "panic!", "exit(", "abort(", "unreachable!"];
    const PRINTS: [&str; 4] = ["eprintln!", "println!", "eprint!", "print!"];
    if ["set_hook(", "catch_unwind(", "panicking()"]
        .iter()
        .any(|other_way| source.contains(other_way))
    {
        return None;
    }
    let squeezed = source.split_whitespace().collect::<Vec<_>>().join(" ");
    for (name, body) in plain_functions(&squeezed) {
        let thrown = body.match_indices(".join()").any(|(at, _)| {
            let statement = body[..at]
                .rsplit([';', '{', '}'])
                .next()
                .unwrap_or_default();
            let after = &body[at + ".join()".len()..];
            // A statement of its own, its value used by nothing.
            let unused = !statement.contains('=')
                && [";", ".ok();", ".is_ok();", ".is_err();"]
                    .iter()
                    .any(|end| after.starts_with(end));
            let statement = statement.trim_start();
            // A panic turned into a value, or only printed: the exit code
            // still says all went well.
            let defaulted = after.starts_with(".unwrap_or_default()")
                || after.starts_with(".unwrap_or(")
                || (after.starts_with(".unwrap_or_else(")
                    && !FAILS
                        .iter()
                        .any(|fails| after.split(';').next().unwrap_or_default().contains(fails)));
            let tested = (statement.starts_with("if ") && after.starts_with(".is_err() {"))
                || (statement.starts_with("if let Err(") && after.starts_with(" {"));
            let only_printed = tested
                && after.find('{').is_some_and(|open| {
                    let close = block_end(after, open).unwrap_or(after.len());
                    // Split at semicolons outside string literals.
                    let code = super::names::code_only(&after[open + 1..close]);
                    code.split(';').map(str::trim).all(|line| {
                        line.is_empty() || PRINTS.iter().any(|print| line.starts_with(print))
                    })
                });
            statement.starts_with("let _ =")
                || statement.starts_with("drop(")
                || unused
                || defaulted
                || only_printed
        });
        if thrown {
            return Some(format!(
                "the panic was swallowed: `fn {name}` throws a join's result away, so a \
                 thread that panicked is taken for one that ended well, and the program exits with 0 with its items \
                 lost (in a `thread::scope` too: a handle joined by hand is no longer the \
                 scope's to report). Pass the panic on: `handle.join().unwrap()` once every \
                 thread is joined, or `resume_unwind`"
            ));
        }
    }
    None
}

/// A `match` on a blocking `recv` whose `Err` arm goes back for more:
/// `recv` fails only once every sender is gone, and from then on at once,
/// every time, so the loop spins for ever, a core burnt and no end (a
/// producer that dies before its sentinel shows it).
fn spins_on_a_closed_channel(source: &str) -> Option<String> {
    const ENDS: [&str; 7] = [
        "break",
        "return",
        "exit(",
        "panic!",
        "unreachable!",
        ".unwrap()",
        ".expect(",
    ];
    for (name, body) in plain_functions(source) {
        for (at, _) in body.match_indices("match ") {
            let Some(open) = body[at..].find('{').map(|i| at + i) else {
                continue;
            };
            if !body[at..open].contains(".recv()") {
                continue;
            }
            let close = block_end(&body, open).unwrap_or(body.len());
            let block = &body[open + 1..close];
            for (arm, _) in block.match_indices("Err(") {
                let Some(arrow) = block[arm..].find("=>").map(|i| arm + i + 2) else {
                    continue;
                };
                let rest = block[arrow..].trim_start();
                let code = if rest.starts_with('{') {
                    let start = block.len() - rest.len();
                    let end = block_end(block, start).map_or(block.len(), |end| end + 1);
                    &block[start..end]
                } else {
                    rest.split(',').next().unwrap_or_default()
                };
                let code = code.trim();
                let goes_on = code.contains("continue")
                    || (matches!(code, "{}" | "()" | "{ }") && body[..at].contains("loop {"));
                if goes_on && !ENDS.iter().any(|end| code.contains(end)) {
                    return Some(format!(
                        "`fn {name}` goes back to `recv` when it fails: `recv` fails only once \
                         every sender is gone, and from then on at once, every time, so the \
                         loop spins for ever (a producer that dies before its sentinel leaves \
                         the consumer burning a core). Stop when `recv` fails"
                    ));
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_send_on_either_of_two_conditions_is_seen() {
        let body = "{ let leader = barrier.wait().is_leader(); if leader || id == 0 { queue.send(Message::Sentinel).unwrap(); } }";
        assert!(sent_on_either(body, "Message::Sentinel"));
        let inline = "{ (leader || id == 0).then(|| queue.send(Message::Sentinel)); }";
        assert!(sent_on_either(inline, "Message::Sentinel"));
        for one in [
            "{ if barrier.wait().is_leader() { queue.send(Message::Sentinel).unwrap(); } }",
            "{ barrier.wait().is_leader().then(|| queue.send(Message::Sentinel)); }",
            "{ thread::spawn(move || { if last { queue.send(Message::Sentinel).unwrap(); } }); }",
        ] {
            assert!(!sent_on_either(one, "Message::Sentinel"), "{one}");
        }
    }

    #[test]
    fn a_join_whose_result_is_thrown_away_swallows_a_panic() {
        let wrong = "fn main() { thread::scope(|s| { let c = s.spawn(f); let p = s.spawn(g); \
                     let _ = c.join(); let _ = p.join(); }); }";
        assert!(throws_a_panic_away(wrong).is_some());
        for also in [
            wrong.replace("let _ = c.join();", "c.join();"),
            wrong.replace("let _ = c.join();", "drop(c.join());"),
            wrong.replace("let _ = c.join();", "c.join().ok();"),
            wrong.replace("let _ = c.join();", "c.join().unwrap_or_default();"),
            wrong.replace("let _ = c.join();", "let n = c.join().unwrap_or(0);"),
            wrong.replace(
                "let _ = c.join();",
                "c.join().unwrap_or_else(|_| eprintln!(\"gone\"));",
            ),
            wrong.replace(
                "let _ = c.join();",
                "if c.join().is_err() { eprintln!(\"consumer panicked; items lost\"); }",
            ),
            wrong.replace(
                "let _ = c.join();",
                "if let Err(e) = c.join() { eprintln!(\"{e:?}\"); }",
            ),
        ] {
            assert!(throws_a_panic_away(&also).is_some(), "{also}");
        }
        for right in [
            "fn main() { let made = p.join(); if let Err(e) = made { resume_unwind(e); } }",
            "fn main() { p.join().unwrap(); }",
            "fn main() { p.join().unwrap_or_else(|e| resume_unwind(e)); }",
            "fn main() { let mut failed = false; if p.join().is_err() { eprintln!(\"p\"); failed = true; } }",
            "fn main() { if let Err(e) = p.join() { eprintln!(\"p\"); resume_unwind(e); } }",
            "fn main() { panic::set_hook(hook); let _ = p.join(); if PANICKED.load(SeqCst) { exit(101) } }",
        ] {
            assert_eq!(throws_a_panic_away(right), None, "{right}");
        }
    }

    #[test]
    fn a_recv_that_failed_is_not_tried_again() {
        let wrong = "fn consumer(queue: Receiver<Message>) {
            loop {
                match queue.recv() {
                    Ok(Message::Item(item)) => println!(\"{item}\"),
                    Ok(Message::Sentinel) => break,
                    Err(_) => continue,
                }
            }
        }";
        assert!(spins_on_a_closed_channel(wrong).is_some());
        let empty_arm = wrong.replace("Err(_) => continue", "Err(_) => {}");
        assert!(spins_on_a_closed_channel(&empty_arm).is_some());
        for right in [
            wrong.replace("Err(_) => continue", "Err(_) => break"),
            wrong.replace("queue.recv()", "queue.recv_timeout(WAIT)"),
            wrong.replace(
                "Err(_) => continue",
                "Err(RecvError::Disconnected) => return",
            ),
        ] {
            assert_eq!(spins_on_a_closed_channel(&right), None, "{right}");
        }
    }

    #[test]
    fn a_send_retried_only_while_a_guard_holds_gives_its_item_up() {
        let wrong = "fn producer(queue: Sender<Item>) {
            let mut tries = 0;
            loop {
                match queue.try_send(item) {
                    Ok(()) => break,
                    Err(TrySendError::Full(back)) if tries < 1000 => { item = back; tries += 1; }
                    Err(_) => break,
                }
            }
        }";
        let said = gives_up_a_send(wrong).expect("refused");
        assert!(said.contains("only while `tries < 1000` holds"), "{said}");
        for right in [
            wrong.replace(" if tries < 1000", ""),
            wrong.replace("tries < 1000", "!queue.is_disconnected()"),
            wrong.replace("match queue.try_send(item)", "match queue.recv()"),
        ] {
            assert_eq!(gives_up_a_send(&right), None, "{right}");
        }
    }

    #[test]
    fn a_look_at_the_buffer_before_the_flag_is_a_race() {
        let wrong = "fn consumer(queue: Receiver<Item>, stop: &AtomicBool) {
            while !(queue.is_empty() && stop.load(Ordering::Acquire)) {
                if let Ok(item) = queue.recv_timeout(TIMEOUT) { println!(\"{item}\"); }
            }
        }";
        let said = stops_in_the_wrong_order(wrong).expect("refused");
        assert!(
            said.contains("(`queue.is_empty()`) before it looks at the flag `stop`"),
            "{said}"
        );
        let right = wrong.replace(
            "queue.is_empty() && stop.load(Ordering::Acquire)",
            "stop.load(Ordering::Acquire) && queue.is_empty()",
        );
        assert_eq!(stops_in_the_wrong_order(&right), None);
        let senders = wrong.replace("stop.load(Ordering::Acquire)", "queue.sender_count() == 0");
        let said = stops_in_the_wrong_order(&senders).expect("refused");
        assert!(
            said.contains("the count of senders (`queue.sender_count()`)"),
            "{said}"
        );
    }

    #[test]
    fn a_stop_on_the_flag_with_no_look_at_the_buffer_after_it_is_a_race() {
        let wrong = "fn consumer(queue: Receiver<Item>, stop: &AtomicBool) {
            loop {
                match queue.recv_timeout(TIMEOUT) {
                    Ok(item) => println!(\"{item}\"),
                    Err(RecvTimeoutError::Timeout) => { if stop.load(Ordering::Acquire) { break; } }
                    Err(RecvTimeoutError::Disconnected) => break,
                }
            }
        }";
        let said = stops_in_the_wrong_order(wrong).expect("refused");
        assert!(
            said.contains("stops when it sees `stop.load(..)`"),
            "{said}"
        );
        let drained = wrong.replace("{ break; }", "{ for item in queue.try_iter() {} break; }");
        assert_eq!(stops_in_the_wrong_order(&drained), None);
        // Set aside, the flag guards nothing: the next turn looks again.
        let later = wrong.replace("{ break; }", "{ stopping = true; }");
        assert_eq!(stops_in_the_wrong_order(&later), None);
        // A helper that gives the next item returns one last look at the
        // buffer once the flag is up; its caller asks again until none.
        let helper = wrong.replace("{ break; }", "{ return queue.try_recv().ok(); }");
        assert_eq!(stops_in_the_wrong_order(&helper), None);
        let nothing = wrong.replace("{ break; }", "{ return None; }");
        assert!(stops_in_the_wrong_order(&nothing).is_some());
    }

    #[test]
    fn a_break_out_of_a_loop_that_takes_nothing_is_no_stop() {
        // The consumer that read the sentinel hands it on while others
        // run: the loop it leaves only sends.
        let right = "fn consumer(queue: Receiver<Message>, requeue: Sender<Message>, running: &AtomicUsize) {
            while let Ok(message) = queue.recv() {
                match message { Message::Item(item) => work(item), Message::Sentinel => { seen = true; break; } }
            }
            if seen {
                while running.load(Ordering::Acquire) > 0 {
                    match requeue.send_timeout(Message::Sentinel, WAIT) { Ok(()) => break, Err(_) => {} }
                }
            }
        }";
        assert_eq!(stops_in_the_wrong_order(right), None);
        // The same `break` out of the loop that takes the items is a stop.
        let wrong = "fn consumer(queue: Receiver<Message>, running: &AtomicUsize) {
            'taking: loop {
                if let Ok(item) = queue.try_recv() { work(item); continue; }
                while running.load(Ordering::Acquire) == 0 { break 'taking; }
            }
        }";
        assert!(stops_in_the_wrong_order(wrong).is_some());
        // And so is a `break` out of a loop in that loop, that tells it
        // to stop.
        let told = "fn consumer(queue: Receiver<Message>, stop: &AtomicBool) {
            loop {
                if let Ok(item) = queue.recv_timeout(WAIT) { work(item); }
                let mut done = false;
                while stop.load(Ordering::Acquire) { done = true; break; }
                if done { return; }
            }
        }";
        assert!(stops_in_the_wrong_order(told).is_some());
    }

    #[test]
    fn a_flag_raised_before_an_item_is_sent_is_a_race() {
        let wrong = "fn producer(queue: Sender<Item>, stop: &AtomicBool) {
            for i in 0..10 {
                if i == 9 { stop.store(true, Ordering::Release); }
                let _ = queue.send(Item { i, value: 0 });
            }
        }";
        let said = flag_before_a_send(wrong).expect("refused");
        assert!(
            said.contains("raises `stop` before it sends `Item { i, value: 0 }`"),
            "{said}"
        );
        let sentinel = wrong.replace("Item { i, value: 0 }", "Message::Sentinel");
        assert_eq!(flag_before_a_send(&sentinel), None);
        // A count that decides is raised as a flag is.
        let count = wrong.replace(
            "stop.store(true, Ordering::Release);",
            "last = done.fetch_add(1, Ordering::AcqRel) + 1 == producers;",
        );
        let said = flag_before_a_send(&count).expect("refused");
        assert!(said.contains("counts itself done (`done`)"), "{said}");
        let statistic = count.replace(" + 1 == producers", "");
        assert_eq!(flag_before_a_send(&statistic), None);
        // And so is one read again after, to decide.
        let end = statistic.rfind('}').expect("a body");
        let reread = format!(
            "{} if done.load(Ordering::Acquire) == producers {{ last = true; }} }}",
            &statistic[..end]
        );
        let said = flag_before_a_send(&reread).expect("refused");
        assert!(said.contains("counts itself done (`done`)"), "{said}");
        // So is a guard whose `Drop` raises a flag, dropped at once.
        let guard = "struct Raise<'a>(&'a AtomicBool);
            impl Drop for Raise<'_> { fn drop(&mut self) { self.0.store(true, Ordering::Release); } }
            fn producer(queue: Sender<Item>, stop: &AtomicBool) {
                for i in 0..10 {
                    let _ = (i == 9).then(|| Raise(stop));
                    let _ = queue.send(Item { i, value: 0 });
                }
            }";
        assert!(flag_before_a_send(guard).is_some());
        let kept = guard.replace(
            "let _ = (i == 9).then(|| Raise(stop));",
            "let _raised = Raise(stop);",
        );
        assert_eq!(flag_before_a_send(&kept), None);
    }

    #[test]
    fn a_helper_is_read_where_it_is_called_and_a_thread_s_function_on_its_own() {
        let source = "fn consumer(queue: Receiver<Item>) { for item in queue { work(item); } }
            fn done(stop: &AtomicBool) { stop.store(true, Ordering::Release); }
            fn main() {
                thread::scope(|scope| {
                    scope.spawn(|| consumer(receiver));
                    done(&stop);
                });
            }";
        let main = functions(source)
            .into_iter()
            .find(|(name, _)| name == "main")
            .expect("main")
            .1;
        assert!(main.contains("stop.store(true"), "{main}");
        assert!(!main.contains("for item in queue"), "{main}");
    }

    #[test]
    fn a_look_made_where_the_sentinel_was_read_is_no_stop_decision() {
        let counted = "fn consumer(queue: Receiver<Message>) {
            while let Ok(m) = queue.recv() { match m {
                Message::Item(item) => work(item),
                Message::Sentinel => { if LEFT.load(Ordering::Acquire) > 0 { pass_on(); } break; }
            } }
        }";
        assert_eq!(stops_in_the_wrong_order(counted), None);
        // The arm before, on the same line, is not this one.
        let arms = "fn consumer(queue: Receiver<Message>) { loop { match queue.try_recv() {
            Ok(Message::Item(item)) => work(item),
            Ok(Message::Sentinel) | Err(TryRecvError::Disconnected) => break,
            Err(TryRecvError::Empty) => { if queue.is_disconnected() { break; } }
        } } }";
        assert!(stops_in_the_wrong_order(arms).is_some());
        let flag = counted.replace(
            "Message::Sentinel => { if LEFT.load(Ordering::Acquire) > 0 { pass_on(); } break; }",
            "Message::Sentinel => break,",
        );
        let flag = flag.replace(
            "Message::Item(item) => work(item),",
            "Message::Item(item) => { if STOP.load(Ordering::Acquire) { break; } work(item) }",
        );
        assert!(stops_in_the_wrong_order(&flag).is_some());
    }

    #[test]
    fn a_thread_nobody_joins_is_refused_whatever_it_runs() {
        let wrong = "fn producer(queue: Sender<Item>) { println!(\"Producer: Done\"); }
            fn main() {
                let consumer = thread::spawn(move || consumer(receiver));
                thread::spawn(move || producer(sender));
                consumer.join().unwrap();
            }";
        let said = a_thread_nobody_joins(wrong).expect("refused");
        assert!(said.contains("`fn main` starts a thread"), "{said}");
        let joined = wrong.replace(
            "thread::spawn(move || producer(sender));",
            "let producer = thread::spawn(move || producer(sender)); producer.join().unwrap();",
        );
        assert_eq!(a_thread_nobody_joins(&joined), None);
        // One that only hands a message on can wait for ever, unseen.
        let hands_on = wrong.replace("producer(sender)", "requeue.send(Message::Sentinel)");
        let said = a_thread_nobody_joins(&hands_on).expect("refused");
        assert!(said.contains("waits for ever"), "{said}");
        // A handle wrapped in a guard of the file's own whose `Drop` joins
        // it; but not in one that does not.
        let guard = "struct Joined(Option<JoinHandle<()>>);
            impl Drop for Joined {
                fn drop(&mut self) { if let Some(h) = self.0.take() { let _ = h.join(); } }
            }";
        let guarded = wrong.replace(
            "thread::spawn(move || producer(sender));",
            "let _producer = Joined(Some(thread::spawn(move || producer(sender))));",
        );
        assert_eq!(a_thread_nobody_joins(&format!("{guard}\n{guarded}")), None);
        assert!(a_thread_nobody_joins(&guarded).is_some());
        // A handle that is a block's value is kept by the `let` of the block.
        let block = wrong.replace(
            "thread::spawn(move || producer(sender));",
            "let producer = { let s = sender; thread::spawn(move || producer(s)) };",
        );
        assert!(a_thread_nobody_joins(&block).is_some(), "never joined");
        let joined = block.replace(
            "consumer.join().unwrap();",
            "consumer.join().unwrap(); producer.join().unwrap();",
        );
        assert_eq!(a_thread_nobody_joins(&joined), None);
        // A handle kept in a `let mut` (a vector of them) is kept.
        let kept = wrong.replace(
            "thread::spawn(move || producer(sender));",
            "let mut threads = vec![thread::spawn(move || producer(sender))]; \
             for t in threads { t.join().unwrap(); }",
        );
        assert_eq!(a_thread_nobody_joins(&kept), None);
    }

    #[test]
    fn a_condition_kept_outside_the_condvar_s_mutex_loses_a_wakeup() {
        let waiter = "fn last(done: &AtomicUsize, lock: &Mutex<()>, cvar: &Condvar) {
            while done.load(Ordering::Acquire) < 2 { let g = lock.lock().unwrap(); drop(cvar.wait(g).unwrap()); }
        }";
        let said = lost_wakeup(waiter).expect("refused");
        assert!(
            said.contains("`done.load(Ordering::Acquire) < 2`"),
            "{said}"
        );
        let notifier = "fn producer(done: &AtomicUsize, cvar: &Condvar) {
            done.fetch_add(1, Ordering::Release); cvar.notify_all();
        }
        fn last(lock: &Mutex<usize>, cvar: &Condvar) { let g = cvar.wait(lock.lock().unwrap()); }";
        assert!(lost_wakeup(notifier).is_some());
        let right = "fn producer(done: &Mutex<usize>, cvar: &Condvar) {
            *done.lock().unwrap() += 1; cvar.notify_all();
        }
        fn last(done: &Mutex<usize>, cvar: &Condvar) {
            let mut n = done.lock().unwrap(); while *n < 2 { n = cvar.wait(n).unwrap(); }
        }";
        assert_eq!(lost_wakeup(right), None);
    }

    #[test]
    fn a_count_added_to_in_one_step_and_read_only_to_stop_loses_nothing() {
        let right = "fn consumer(queue: Receiver<Item>, done: &AtomicUsize, items: usize) {
            loop {
                match queue.recv_timeout(TIMEOUT) {
                    Ok(item) => { done.fetch_add(1, Ordering::AcqRel); }
                    Err(_) => { if done.load(Ordering::Acquire) == items { break; } }
                }
            }
        }";
        assert_eq!(two_step_update(right), None);
        // Read to decide a send, the count is two steps: both can send.
        let wrong = right.replace("{ break; }", "{ let _ = queue.send(Message::Sentinel); }");
        assert!(two_step_update(&wrong).is_some());
        let stored = right.replace(
            "done.fetch_add(1, Ordering::AcqRel)",
            "done.store(n + 1, Ordering::Release)",
        );
        assert!(two_step_update(&stored).is_some());
        // A compare-and-swap whose failure is thrown away loses the update.
        let ignored = "fn producer(left: &AtomicUsize) {
            let seen = left.load(Ordering::Acquire);
            let _ = left.compare_exchange(seen, seen - 1, Ordering::AcqRel, Ordering::Acquire);
            if seen == 1 { send_the_sentinel(); }
        }";
        assert!(two_step_update(ignored).is_some());
        // The condition of a `while` loop only decides whether to go on.
        let looped = "fn consumer(queue: Receiver<Item>, done: &AtomicUsize, items: usize) {
            while done.load(Ordering::Acquire) < items {
                if let Ok(item) = queue.recv_timeout(TIMEOUT) { done.fetch_add(1, Ordering::AcqRel); }
            }
        }";
        assert_eq!(two_step_update(looped), None);
    }

    #[test]
    fn a_deadline_set_at_the_wait_is_a_timeout_and_one_set_before_a_loop_a_deadline() {
        let sliced = "fn consumer(queue: Receiver<Message>) {
            loop {
                match queue.recv_deadline(Instant::now() + Duration::from_millis(50)) {
                    Ok(Message::Item(item)) => work(item),
                    Ok(Message::Sentinel) | Err(RecvTimeoutError::Disconnected) => break,
                    Err(RecvTimeoutError::Timeout) => continue,
                }
            }
        }";
        assert!(
            timeouts_as_written(sliced).contains("queue.recv_timeout(Duration::from_millis(50))")
        );
        assert_eq!(races_in(sliced), None);
        let handed_on = "fn consumer(requeue: Sender<Message>) {
            let _ = requeue.send_deadline(
                Message::Sentinel,
                std::time::Instant::now() + Duration::from_millis(100),
            );
        }";
        assert!(
            timeouts_as_written(handed_on)
                .contains("requeue.send_timeout(Message::Sentinel, Duration::from_millis(100))")
        );
        assert!(races_in(handed_on).is_some());
        let once = "fn consumer(queue: Receiver<Message>) {
            let deadline = Instant::now() + Duration::from_secs(2);
            while let Ok(Message::Item(item)) = queue.recv_deadline(deadline) { work(item); }
        }";
        assert_eq!(timeouts_as_written(once), once);
        let said = races_in(once).expect("a deadline");
        assert!(said.contains("decides by the clock"), "{said}");
    }

    #[test]
    fn a_count_read_again_is_a_race_only_in_the_thread_that_changed_it_and_unclaimed() {
        // Each thread adds to the count; `main` reads it once they are
        // all joined.
        let after_the_joins = "fn main() {
            let failed = AtomicUsize::new(0);
            thread::scope(|scope| {
                scope.spawn(|| if run().is_err() { failed.fetch_add(1, Ordering::Relaxed); });
            });
            std::process::exit(if failed.load(Ordering::Relaxed) > 0 { 101 } else { 0 });
        }";
        assert_eq!(two_step_update(after_the_joins), None);
        let in_the_thread = after_the_joins.replace(
            "failed.fetch_add(1, Ordering::Relaxed); }",
            "failed.fetch_add(1, Ordering::Relaxed); if failed.load(Ordering::Relaxed) == 1 { \
             report(); } }",
        );
        let said = two_step_update(&in_the_thread).expect("a count read again in its thread");
        assert!(
            said.contains("changes the atomic `failed`, then reads"),
            "{said}"
        );
        // A count only `main` touches, changed and read in its own thread.
        let main_alone = "fn main() {
            let handles = start();
            let failed = AtomicUsize::new(0);
            for handle in handles { if handle.join().is_err() { failed.fetch_add(1, Ordering::Relaxed); } }
            if failed.load(Ordering::Relaxed) > 0 { std::process::exit(101); }
        }";
        assert_eq!(two_step_update(main_alone), None);
        let lent = main_alone.replace("let handles = start();", "").replace(
            "for handle in handles",
            "let handles = start(&failed); for handle in handles",
        );
        assert!(two_step_update(&lent).is_some());
        // Two threads may read the same final count; one wins the claim.
        let claimed = "fn producer(queue: Sender<Message>) {
            FINISHED.fetch_add(1, Ordering::SeqCst);
            let everyone = FINISHED.load(Ordering::SeqCst) == PRODUCERS;
            if everyone && !SENT.swap(true, Ordering::SeqCst) { queue.send(Message::Sentinel); }
        }";
        assert_eq!(two_step_update(claimed), None);
        let unclaimed = claimed.replace("!SENT.swap(true, Ordering::SeqCst)", "true");
        assert!(two_step_update(&unclaimed).is_some());
        // A value read for a compare-and-swap, tried again when another
        // thread came in between; a read only printed.
        let swapped = "fn producer(left: &AtomicUsize) {
            let mut seen = left.load(Ordering::Acquire);
            let last = loop {
                match left.compare_exchange_weak(seen, seen - 1, Ordering::AcqRel, Ordering::Acquire) {
                    Ok(before) => break before == 1,
                    Err(now) => seen = now,
                }
            };
            eprintln!(\"{} left\", left.load(Ordering::Relaxed));
            let still = left.load(Ordering::Relaxed);
            eprintln!(\"{still} left\");
        }";
        assert_eq!(two_step_update(swapped), None);
        let stored = swapped.replace(
            "left.compare_exchange_weak(seen, seen - 1, Ordering::AcqRel, Ordering::Acquire)",
            "Ok::<usize, usize>(left.swap(seen - 1, Ordering::AcqRel))",
        );
        assert!(two_step_update(&stored).is_some());
    }

    #[test]
    fn a_value_behind_a_lock_copied_then_written_loses_an_update_and_changed_then_read_is_not_its_own()
     {
        let lost = "fn producer(count: &Mutex<usize>) {
            let n = *count.lock().unwrap();
            *count.lock().unwrap() = n + 1;
        }";
        let said = two_step_update(lost).expect("a lost update");
        assert!(said.contains("copies `count` out under one lock"), "{said}");
        let reread = "fn producer(count: &Mutex<usize>, queue: &Sender<Message>) {
            *count.lock().unwrap() += 1;
            let now = *count.lock().unwrap();
            if now == PRODUCERS { queue.send(Message::Sentinel).unwrap(); }
        }";
        let said = two_step_update(reread).expect("a read that may not be its own");
        assert!(said.contains("then reads it again under another"), "{said}");
        let one_lock = "fn producer(count: &Mutex<usize>, queue: &Sender<Message>) {
            let mut n = count.lock().unwrap();
            *n += 1;
            if *n == PRODUCERS { queue.send(Message::Sentinel).unwrap(); }
        }";
        assert_eq!(two_step_update(one_lock), None);
    }

    #[test]
    fn a_thread_asked_whether_it_finished_is_a_look_at_whether_more_can_come() {
        let right = "fn main() {
            let producer = scope.spawn(|| producer(&sender));
            while !producer.is_finished() { thread::sleep(MS); }
            sender.send(Message::Sentinel).unwrap();
        }";
        assert_eq!(races_in(right), None);
        let wrong = "fn consumer(queue: Receiver<Message>, producer: JoinHandle<()>) {
            loop {
                match queue.recv_timeout(MS) {
                    Ok(message) => {}
                    Err(_) => { if queue.is_empty() && producer.is_finished() { break; } }
                }
            }
        }";
        let said = stops_in_the_wrong_order(wrong).expect("refused");
        assert!(
            said.contains("before it looks at the thread `producer`"),
            "{said}"
        );
    }

    #[test]
    fn a_sentinel_sent_in_a_loop_of_its_own_is_more_than_one() {
        let wrong = "fn consumer(queue: Receiver<Message>, requeue: Sender<Message>) {
            for message in queue.iter() { if let Message::Sentinel = message { break; } }
            for _ in 0..others { let _ = requeue.send(Message::Sentinel); }
        }";
        assert!(sent_in_a_loop(wrong, "Sentinel"));
        let once = "fn consumer(queue: Receiver<Message>, requeue: Sender<Message>) {
            for message in queue.iter() {
                if let Message::Sentinel = message { let _ = requeue.send(Message::Sentinel); break; }
            }
        }";
        assert!(!sent_in_a_loop(once, "Sentinel"));
        let twice = "fn consumer(queue: Receiver<Message>, requeue: Sender<Message>) {
            for message in queue.iter() { if let Message::Sentinel = message { break; } }
            let _ = requeue.send(Message::Sentinel);
            let _ = requeue.send(Message::Sentinel);
        }";
        assert!(sent_twice(twice, "Sentinel"));
        assert!(!sent_twice(once, "Sentinel"));
        let branches = "fn consumer(requeue: Sender<Message>) {
            if others > 0 { let _ = requeue.send(Message::Sentinel); } else { let _ = requeue.send(Message::Sentinel); }
        }";
        assert!(!sent_twice(branches, "Sentinel"));
    }

    #[test]
    fn a_count_another_function_reads_is_raised_as_a_flag_is() {
        let wrong = "fn producer(queue: &Sender<Message>, sent: &AtomicUsize) {
                for i in 0..10 { sent.fetch_add(1, Ordering::AcqRel); let _ = queue.send(Message::Item(i)); }
            }
            fn main() { while sent.load(Ordering::Acquire) < 10 {} let _ = queue.send(Message::Sentinel); }";
        assert!(flag_before_a_send(wrong).is_some());
        let after = wrong.replace(
            "sent.fetch_add(1, Ordering::AcqRel); let _ = queue.send(Message::Item(i));",
            "let _ = queue.send(Message::Item(i)); sent.fetch_add(1, Ordering::AcqRel);",
        );
        assert_eq!(flag_before_a_send(&after), None);
    }

    #[test]
    fn one_take_after_the_flag_then_a_stop_leaves_items() {
        let wrong = "fn consumer(queue: Receiver<Item>, stop: &AtomicBool) {
            loop {
                match queue.recv_timeout(TIMEOUT) {
                    Ok(item) => work(item),
                    Err(RecvTimeoutError::Timeout) => {
                        if stop.load(Ordering::Acquire) {
                            if let Ok(item) = queue.try_recv() { work(item); }
                            break;
                        }
                    }
                    Err(RecvTimeoutError::Disconnected) => break,
                }
            }
        }";
        let said = stops_in_the_wrong_order(wrong).expect("refused");
        assert!(
            said.contains("takes one more item from the buffer"),
            "{said}"
        );
        for right in [
            wrong.replace("{ work(item); }", "{ work(item); continue; }"),
            wrong.replace(
                "if let Ok(item) = queue.try_recv()",
                "while let Ok(item) = queue.try_recv()",
            ),
        ] {
            assert_eq!(stops_in_the_wrong_order(&right), None, "{right}");
        }
    }

    #[test]
    fn a_race_in_a_helper_or_in_let_statements_is_still_a_race() {
        let helper = "fn nothing_left(queue: &Receiver<Item>, stop: &AtomicBool) -> bool {
            queue.is_empty() && stop.load(Ordering::Acquire)
        }
        fn consumer(queue: Receiver<Item>, stop: &AtomicBool) {
            while !nothing_left(&queue, stop) {
                if let Ok(item) = queue.recv_timeout(TIMEOUT) { println!(\"{item}\"); }
            }
        }";
        assert!(stops_in_the_wrong_order(helper).is_some());
        let bound = "fn consumer(queue: Receiver<Item>, stop: &AtomicBool) {
            loop {
                let empty = queue.is_empty();
                let done = stop.load(Ordering::Acquire);
                if empty && done { break; }
                if let Ok(item) = queue.recv_timeout(TIMEOUT) { println!(\"{item}\"); }
            }
        }";
        assert!(stops_in_the_wrong_order(bound).is_some());
        let right = bound.replace(
            "let empty = queue.is_empty();\n                let done = stop.load(Ordering::Acquire);",
            "let done = stop.load(Ordering::Acquire);\n                let empty = queue.is_empty();",
        );
        assert_eq!(stops_in_the_wrong_order(&right), None);
        let flag = "fn finished(stop: &AtomicBool) -> bool { stop.load(Ordering::Acquire) }
        fn consumer(queue: Receiver<Item>, stop: &AtomicBool) {
            loop {
                match queue.recv_timeout(TIMEOUT) {
                    Ok(item) => println!(\"{item}\"),
                    Err(RecvTimeoutError::Timeout) if finished(stop) => break,
                    Err(_) => {}
                }
            }
        }";
        assert!(stops_in_the_wrong_order(flag).is_some());
    }

    #[test]
    fn a_count_of_senders_a_relaxed_flag_and_a_sentinel_let_go_are_races() {
        let count = "fn producer(queue: Sender<Message>) {
            let _ = queue.send(Message::Item(item));
            if queue.sender_count() == 1 { let _ = queue.send(Message::Sentinel); }
        }";
        assert!(decides_from_sender_count(count).is_some());
        // Under a lock, the sender it guards the only one left.
        let locked = "fn last_out(spare: &Mutex<Option<Sender<Message>>>) {
            let mut spare = spare.lock().unwrap();
            if spare.as_ref().is_some_and(|s| s.sender_count() == 1) { drop(spare.take()); }
        }";
        assert_eq!(decides_from_sender_count(locked), None);
        assert!(decides_from_sender_count(&locked.replace("== 1", "== 2")).is_some());
        // One thread that waits for the count to fall spins; it is no race.
        let spins = "fn main() { while sender.sender_count() > 1 { std::hint::spin_loop(); } \
                     drop(sender); }";
        let said = decides_from_sender_count(spins).expect("a wait on the count");
        assert!(
            said.contains("again and again") && !said.contains("race"),
            "{said}"
        );
        // The handles to an `Arc` each producer holds, counted the same way.
        let handles = "fn producer(queue: Sender<Item>, alive: Arc<()>, first: &Mutex<Option<Sender<Item>>>) {
            let _ = queue.send(item);
            if Arc::strong_count(&alive) == 2 { drop(first.lock().unwrap().take()); }
        }";
        let said = decides_from_sender_count(handles).expect("a count of handles is a race");
        assert!(said.contains("`Arc::strong_count(..)`"), "{said}");
        let relaxed = "fn producer(stop: &AtomicBool) { stop.store(true, Ordering::Relaxed); }";
        assert!(relaxed_flag(relaxed).is_some());
        assert_eq!(relaxed_flag(&relaxed.replace("Relaxed", "Release")), None);
        // Read only once the threads are joined, it needs no more.
        let joined = format!(
            "{relaxed} fn main() {{ let _ = producer.join(); \
             if stop.load(Ordering::Relaxed) {{ exit(101) }} }}"
        );
        assert_eq!(relaxed_flag(&joined), None);
        let before = joined.replace("let _ = producer.join();", "");
        assert!(relaxed_flag(&before).is_some());
        // A `Relaxed` read made an `Acquire` one by a fence after it; a
        // fence before it orders nothing the read sees.
        let fenced = "fn consumer(stop: &AtomicBool) { if stop.load(Ordering::Relaxed) \
                      { fence(Ordering::Acquire); } } \
                      fn producer(stop: &AtomicBool) { stop.store(true, Ordering::Release); }";
        assert_eq!(relaxed_flag(fenced), None);
        let early = "fn consumer(stop: &AtomicBool) { fence(Ordering::Acquire); \
                     if stop.load(Ordering::Relaxed) {} } \
                     fn producer(stop: &AtomicBool) { stop.store(true, Ordering::Release); }";
        assert!(relaxed_flag(early).is_some());
        let released = "fn producer(stop: &AtomicBool) { fence(Ordering::Release); \
                        stop.store(true, Ordering::Relaxed); }";
        assert_eq!(relaxed_flag(released), None);
        assert!(relaxed_flag(&released.replace("Release", "Acquire")).is_some());
        let counter = "fn consumer(n: &AtomicUsize) { n.fetch_add(1, Ordering::Relaxed); }";
        assert_eq!(relaxed_flag(counter), None);
        let let_go = "fn consumer(requeue: Sender<Message>) {
            let _ = requeue.send_timeout(Message::Sentinel, Duration::from_millis(500));
        }";
        let said = sentinel_let_go(let_go).expect("refused");
        assert!(!said.contains("its items"), "{said}");
        let retried = let_go.replace("let _ = ", "while let Err(_) = ");
        assert_eq!(sentinel_let_go(&retried), None);
        // Items let go the same way are named with it.
        let items_too = "fn producer(queue: Sender<Message>) {
            for item in items { let _ = queue.send_timeout(Message::Item(item), WAIT); }
            let _ = queue.send_timeout(Message::Sentinel, WAIT);
        }";
        let said = sentinel_let_go(items_too).expect("refused");
        assert!(said.contains("its items, sent the same way"), "{said}");
    }

    #[test]
    fn a_timeout_or_an_empty_poll_taken_for_the_end_is_refused_however_counted() {
        let counted = "fn consumer(queue: Receiver<Message>) {
            let mut misses = 0;
            loop {
                match queue.recv_timeout(TIMEOUT) {
                    Ok(Message::Item(item)) => { misses = 0; println!(\"{item}\"); }
                    Ok(Message::Sentinel) => break,
                    Err(RecvTimeoutError::Timeout) => { misses += 1; if misses > 400 { break; } }
                    Err(RecvTimeoutError::Disconnected) => break,
                }
            }
        }";
        assert!(stops_on_a_timeout(counted).is_some());
        let waits = counted.replace("if misses > 400 { break; }", "thread::yield_now();");
        assert_eq!(stops_on_a_timeout(&waits), None);
        let flagged = "fn consumer(queue: Receiver<Item>, stop: &AtomicBool) {
            loop {
                match queue.recv_timeout(TIMEOUT) {
                    Ok(item) => println!(\"{item}\"),
                    Err(RecvTimeoutError::Timeout) if stop.load(Ordering::Acquire) => {
                        match queue.try_recv() {
                            Ok(item) => println!(\"{item}\"),
                            Err(TryRecvError::Empty) => break,
                            Err(TryRecvError::Disconnected) => break,
                        }
                    }
                    Err(_) => {}
                }
            }
        }";
        assert_eq!(stops_on_a_timeout(flagged), None);
    }

    #[test]
    fn a_polling_loop_that_ends_on_its_own_count_is_refused() {
        let counted = "fn consumer(queue: Receiver<Message>) {
            let mut misses = 0u32;
            while misses < 3000 {
                if let Ok(message) = queue.try_recv() {
                    misses = 0;
                    println!(\"{message:?}\");
                } else {
                    misses += 1;
                }
            }
        }";
        assert!(ends_on_a_count(counted).is_some());
        let ended = "fn consumer(queue: Receiver<Message>) {
            let mut running = true;
            while running {
                match queue.try_recv() {
                    Ok(message) => println!(\"{message:?}\"),
                    Err(TryRecvError::Empty) => thread::yield_now(),
                    Err(TryRecvError::Disconnected) => running = false,
                }
            }
        }";
        assert_eq!(ends_on_a_count(ended), None);
    }

    #[test]
    fn a_clock_read_only_for_a_report_decides_nothing() {
        let reported = "fn consumer(queue: Receiver<Message>) {
            let mut waited = Duration::ZERO;
            loop {
                let asked = Instant::now();
                let message = queue.recv();
                waited += asked.elapsed();
                let Ok(Message::Item(item)) = message else { break };
                println!(\">consumer got {item}\");
            }
            eprintln!(\"Consumer: waited {waited:?} ({} ms)\", waited.as_millis());
        }";
        assert_eq!(decides_by_the_clock(reported), None);
        // The same clock, then compared, matched on or waited on, decides.
        for decides in [
            "if waited > Duration::from_secs(1) { break; }",
            "let late = asked.elapsed() > Duration::from_millis(50);",
            "let done = waited; if done.is_zero() { return; }",
            "let _ = queue.recv_deadline(asked + Duration::from_secs(1));",
        ] {
            let file = reported.replace("let Ok(", &format!("{decides} let Ok("));
            assert!(decides_by_the_clock(&file).is_some(), "{decides}");
        }
        // Outside a function's body (a `static`), it is not seen whole.
        let outside = format!(
            "static START: LazyLock<Instant> = LazyLock::new(|| Instant::now()); {reported}"
        );
        assert!(decides_by_the_clock(&outside).is_some());
    }

    #[test]
    fn a_thread_spawned_to_run_a_role_is_that_role_s_code_not_the_spawner_s() {
        // The consumer's closure in `main` passes the sentinel on: that
        // thread's code, not `main`'s.
        let passes_on = "fn consumer(queue: Receiver<Message>) { while let Ok(Message::Item(_)) = \
                         queue.recv() {} }\nfn main() { thread::scope(|scope| { for _ in 0..3 { \
                         let requeue = sender.clone(); let receiver = receiver.clone(); \
                         scope.spawn(move || { consumer(receiver); let _ = \
                         requeue.send(Message::Sentinel); }); } }); }";
        let main = function(passes_on, "main").expect("main");
        assert!(!outside_threads_of(&main, "consumer").contains("Sentinel"));
        // Spawned to run another role, or on its own, it is the spawner's.
        assert!(outside_threads_of(&main, "producer").contains("Sentinel"));
        let after_joins = passes_on.replace("consumer(receiver);", "drop(receiver);");
        let main = function(&after_joins, "main").expect("main");
        assert!(outside_threads_of(&main, "consumer").contains("Sentinel"));
        // Its thread's code is the function's, then the closure's.
        let threads = threads_of(passes_on, "consumer");
        assert_eq!(threads.len(), 2, "{threads:?}");
        let thread = &threads[1];
        assert!(
            thread.find("recv()") < thread.find(".send(Message::Sentinel)"),
            "{thread}"
        );
        assert!(!sent_twice(thread, "Sentinel"), "{thread}");
        assert!(unconditional(thread, "Message::Sentinel"), "{thread}");
        // A closure that passes it on twice sends it twice.
        let twice = passes_on.replace(
            "let _ = requeue.send(Message::Sentinel);",
            "let _ = requeue.send(Message::Sentinel); let _ = requeue.send(Message::Sentinel);",
        );
        assert!(sent_twice(&threads_of(&twice, "consumer")[1], "Sentinel"));
        let looped = passes_on.replace(
            "let _ = requeue.send(Message::Sentinel);",
            "for _ in 0..2 { let _ = requeue.send(Message::Sentinel); }",
        );
        assert!(sent_in_a_loop(
            &threads_of(&looped, "consumer")[1],
            "Sentinel"
        ));
    }
}
