//! Shared support for Spindle's end-to-end and interop tests (in progress).
