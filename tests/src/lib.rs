//! Support for Spindle's interop tests: Hadoop's own Java classes (from the `pyspark` sdist's
//! jars) and Spark's `spark-submit` run against our protocol code and our embedded cluster. See
//! `docs/interop.md`.
//!
//! * [`cache`]: the shared on-disk cache (build once under a lock, keyed by a fingerprint) and
//!   the `scripts/*-deps.sh` that fetch the outside parts.
//! * [`jars`]: find Hadoop's client jars (`SPINDLE_HADOOP_JARS` or `scripts/interop-deps.sh`).
//! * [`compile`]: compile the Java harness under `tests/interop/java/` once per source hash.
//! * [`process`]: run a harness program; read its output with timeouts; kill it on drop.
//! * [`servers`], [`clients`], [`roundtrip`], [`bench`](mod@bench): typed wrappers for the
//!   harness programs `JavaYarnServers`, `JavaYarnClients`, `ProtoRoundTrip` and `JavaBench`, and
//!   the checks any YARN cluster must pass with Hadoop's clients.
//! * [`ours`]: our side: the embedded mini cluster with the harness's keys and an unmanaged
//!   application whose AMRMToken is in a credentials file; container logs for reports.
//! * [`calls`]: our clients as an AM uses them (requests, registration, refused-call checks).
//! * [`proto_source`]: our protobuf declarations, read from `protocol/src/proto/*.rs`.
//! * [`tools`]: users' own tools: Hadoop's `yarn` CLI classes in one JVM, a long-running
//!   application written with Hadoop's client library, `yarn-api-client` (Python), headless
//!   Chromium.
//! * [`spark`]: Spark's own `spark-submit --master yarn` (from the same sdist, extracted by
//!   `scripts/spark-deps.sh`) against the embedded mini cluster.

pub mod bench;
pub mod cache;
pub mod calls;
pub mod clients;
pub mod compile;
pub mod error;
pub mod jars;
pub mod ours;
pub mod process;
pub mod proto_source;
pub mod roundtrip;
pub mod servers;
pub mod spark;
pub mod tools;

pub use error::{HarnessError, Result};
