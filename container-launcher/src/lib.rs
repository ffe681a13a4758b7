//! Container launcher (in progress).
