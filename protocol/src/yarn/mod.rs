//! Typed YARN protocol clients and server traits (in progress).
