/work/main/exercises/corpus/target/debug/deps/common-68ee16212f8270e6.d: /work/main/crates/common/src/lib.rs

/work/main/exercises/corpus/target/debug/deps/libcommon-68ee16212f8270e6.rlib: /work/main/crates/common/src/lib.rs

/work/main/exercises/corpus/target/debug/deps/libcommon-68ee16212f8270e6.rmeta: /work/main/crates/common/src/lib.rs

/work/main/crates/common/src/lib.rs:

# env-dep:CARGO_PKG_NAME=common
# env-dep:CARGO_PKG_VERSION=0.1.0
