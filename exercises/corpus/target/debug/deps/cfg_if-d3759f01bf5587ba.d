/work/main/exercises/corpus/target/debug/deps/cfg_if-d3759f01bf5587ba.d: /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/cfg-if-1.0.5/src/lib.rs

/work/main/exercises/corpus/target/debug/deps/libcfg_if-d3759f01bf5587ba.rlib: /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/cfg-if-1.0.5/src/lib.rs

/work/main/exercises/corpus/target/debug/deps/libcfg_if-d3759f01bf5587ba.rmeta: /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/cfg-if-1.0.5/src/lib.rs

/root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/cfg-if-1.0.5/src/lib.rs:
