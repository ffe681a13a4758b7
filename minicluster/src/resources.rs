//! [`Resources`]: memory, vcores and custom countable resources, with the arithmetic a
//! scheduler needs. The type and its one conversion from and to `ResourceProto` live in
//! `spindle-protocol` (the client and the AM read resources by the same rule); this module keeps
//! the minicluster's old path working.

pub use spindle_protocol::yarn::resources::Resources;
