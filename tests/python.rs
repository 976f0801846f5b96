//! The Python programs the Performance chapter compares against: they must
//! keep running and reporting what the report reads.

use std::path::Path;
use std::process::Command;

fn python(script: &str, args: &[&str]) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("benches/python")
        .join(script);
    let output = Command::new("python3")
        .arg(&path)
        .args(args)
        .output()
        .expect("python3 runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{script} {args:?}: {stderr}");
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

#[test]
fn the_queue_benchmark_reports_a_time_per_message() {
    for args in [
        &[
            "--kind",
            "Queue",
            "--capacity",
            "4",
            "--producers",
            "2",
            "--consumers",
            "2",
        ][..],
        &["--kind", "SimpleQueue", "--capacity", "unbounded"],
    ] {
        let args = [args, &["--messages", "2000", "--repeats", "2"]].concat();
        let out = python("queue_throughput.py", &args);
        let times = out
            .trim()
            .strip_prefix("{\"ns_per_message\": [")
            .and_then(|rest| rest.strip_suffix("]}"))
            .unwrap_or_else(|| panic!("unexpected output: {out}"));
        let times: Vec<f64> = times
            .split(", ")
            .map(|t| t.parse().expect("a number"))
            .collect();
        assert_eq!(times.len(), 2);
        assert!(times.iter().all(|&t| t > 0.0), "{times:?}");
    }
}

#[test]
fn the_tutorial_programs_make_every_item_and_report_a_makespan() {
    let json = std::env::temp_dir().join(format!("sections-test-{}.json", std::process::id()));
    for (section, producers, items, consumers) in [
        ("one-one", 1, 10, 1),
        ("many-one", 3, 5, 1),
        ("one-many", 1, 10, 3),
        ("many-many", 3, 10, 5),
    ] {
        let args = ["--section", section, "--seed", "1", "--time-scale", "0.001"];
        let out = python(
            "sections.py",
            &[&args[..], &["--json", json.to_str().unwrap()]].concat(),
        );
        let got = out.matches(" got (").count();
        assert_eq!(got, producers * items, "{section}:\n{out}");
        assert_eq!(
            out.matches(": Done").count(),
            producers + consumers,
            "{section}:\n{out}"
        );
        let report = std::fs::read_to_string(&json).expect("the JSON report");
        assert!(report.starts_with("{\"values\": [["), "{report}");
        assert!(report.contains("\"makespan\": "), "{report}");
    }
    let _ = std::fs::remove_file(json);
}
