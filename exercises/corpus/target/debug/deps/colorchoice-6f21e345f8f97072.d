/work/main/exercises/corpus/target/debug/deps/colorchoice-6f21e345f8f97072.d: /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/colorchoice-1.0.5/src/lib.rs

/work/main/exercises/corpus/target/debug/deps/libcolorchoice-6f21e345f8f97072.rlib: /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/colorchoice-1.0.5/src/lib.rs

/work/main/exercises/corpus/target/debug/deps/libcolorchoice-6f21e345f8f97072.rmeta: /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/colorchoice-1.0.5/src/lib.rs

/root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/colorchoice-1.0.5/src/lib.rs:
