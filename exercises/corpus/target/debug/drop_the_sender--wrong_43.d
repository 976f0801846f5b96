/work/main/exercises/corpus/target/debug/drop_the_sender--wrong_43: /work/main/crates/common/src/lib.rs /work/main/exercises/corpus/drop_the_sender/wrong_43.rs
