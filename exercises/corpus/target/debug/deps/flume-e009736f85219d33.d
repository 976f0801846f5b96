/work/main/exercises/corpus/target/debug/deps/flume-e009736f85219d33.d: /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/flume-0.12.0/src/lib.rs /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/flume-0.12.0/src/async.rs /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/flume-0.12.0/src/select.rs /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/flume-0.12.0/src/signal.rs

/work/main/exercises/corpus/target/debug/deps/libflume-e009736f85219d33.rlib: /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/flume-0.12.0/src/lib.rs /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/flume-0.12.0/src/async.rs /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/flume-0.12.0/src/select.rs /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/flume-0.12.0/src/signal.rs

/work/main/exercises/corpus/target/debug/deps/libflume-e009736f85219d33.rmeta: /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/flume-0.12.0/src/lib.rs /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/flume-0.12.0/src/async.rs /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/flume-0.12.0/src/select.rs /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/flume-0.12.0/src/signal.rs

/root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/flume-0.12.0/src/lib.rs:
/root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/flume-0.12.0/src/async.rs:
/root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/flume-0.12.0/src/select.rs:
/root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/flume-0.12.0/src/signal.rs:
