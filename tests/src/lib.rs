//! Support for Spindle's interop tests: Hadoop's own Java classes (from the `pyspark` sdist's
//! jars) run against our protocol code.
//!
//! * [`jars`]: find Hadoop's client jars (`SPINDLE_HADOOP_JARS` or `scripts/interop-deps.sh`).
//! * [`compile`]: compile the Java harness under `tests/interop/java/` once, into a cache keyed by a
//!   hash of its sources.
//! * [`process`]: run a harness program; read its output with timeouts; kill it on drop.
//! * [`ours`]: our side: the embedded mini cluster with the harness's keys and an unmanaged
//!   application whose AMRMToken is in a credentials file.
//! * [`servers`], [`clients`], [`roundtrip`], [`bench`]: typed wrappers for the harness programs
//!   `JavaYarnServers`, `JavaYarnClients`, `ProtoRoundTrip` and `JavaBench`.
//! * [`spark`]: Spark's own `spark-submit --master yarn` (from the same sdist, extracted by
//!   `scripts/spark-deps.sh`) against the embedded mini cluster.

pub mod bench;
pub mod clients;
pub mod compile;
pub mod error;
pub mod jars;
pub mod ours;
pub mod process;
pub mod roundtrip;
pub mod servers;
pub mod spark;

pub use error::{HarnessError, Result};
