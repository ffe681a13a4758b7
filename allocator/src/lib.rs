//! Sans-IO YARN allocator (in progress).
