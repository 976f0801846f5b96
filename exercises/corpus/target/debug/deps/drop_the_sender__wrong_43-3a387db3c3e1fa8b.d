/work/main/exercises/corpus/target/debug/deps/drop_the_sender__wrong_43-3a387db3c3e1fa8b.d: drop_the_sender/wrong_43.rs

/work/main/exercises/corpus/target/debug/deps/drop_the_sender__wrong_43-3a387db3c3e1fa8b: drop_the_sender/wrong_43.rs

drop_the_sender/wrong_43.rs:
