//! Embedded YARN-compatible mini cluster (in progress).
