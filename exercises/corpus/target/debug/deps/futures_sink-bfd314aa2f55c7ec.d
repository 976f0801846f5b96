/work/main/exercises/corpus/target/debug/deps/futures_sink-bfd314aa2f55c7ec.d: /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/futures-sink-0.3.34/src/lib.rs

/work/main/exercises/corpus/target/debug/deps/libfutures_sink-bfd314aa2f55c7ec.rlib: /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/futures-sink-0.3.34/src/lib.rs

/work/main/exercises/corpus/target/debug/deps/libfutures_sink-bfd314aa2f55c7ec.rmeta: /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/futures-sink-0.3.34/src/lib.rs

/root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/futures-sink-0.3.34/src/lib.rs:
