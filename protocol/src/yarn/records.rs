//! Convenience constructors and accessors on the YARN records (see [`crate::proto::yarn`]).
