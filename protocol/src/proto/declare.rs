//! [`proto_messages!`](crate::proto_messages): prost message structs declared one line per
//! field, so that each field's Rust type follows from its protobuf label and type by one rule
//! instead of being written again beside its `#[prost(...)]` attribute; and
//! [`proto_enums!`](crate::proto_enums), which gives every wire enum the same derives.
//!
//! The macros are exported at the crate root so that other crates can declare messages the same
//! way.

/// Declares prost message structs, one line per field: `tag name: label type,`.
///
/// ```
/// spindle_protocol::proto_messages! {
///     /// A token.
///     #[derive(Eq, Hash)]
///     pub struct Sample {
///         /// The identifier.
///         1 identifier: required bytes,
///         /// The kind, `"default"` when unset.
///         2 kind: optional string = "default",
///         /// Nested samples.
///         3 nested: repeated message(Sample),
///         /// Plain numbers, each in its own record on the wire.
///         4 numbers: repeated unpacked int32,
///     }
/// }
/// let s = Sample { identifier: vec![1], kind: None, nested: vec![], numbers: vec![7] };
/// assert_eq!(s.kind(), "default");
/// ```
///
/// Every struct derives `Clone`, `PartialEq` and [`prost::Message`]; attributes written above
/// it (docs, more derives) are kept, as are the doc comments above each field, after a first
/// line that gives the field's number: write only what the line does not say. A field is
/// `tag name: label [flag] type [= default],` (the comma after the last field too):
///
/// * `label`: `required` (the plain type: always encoded, as proto2 does), `optional`
///   (`Option<T>`) or `repeated` (`Vec<T>`);
/// * `type`: a scalar (`string` → `String`, `bytes` → `Vec<u8>`, `bool`, `int32`, `sint32`,
///   `uint32`, `int64`, `sint64`, `uint64`, `float`, `double`), `message(Type)` (`Type`), or
///   `enumeration(Type)` (`i32`, tied to the [`prost::Enumeration`] `Type` for the getters);
/// * flags: `boxed` before an optional `message(..)` (`Option<Box<Type>>`, for a message that
///   contains itself) and `unpacked` before a repeated scalar or enumeration (one record per
///   value, as proto2 writes them; prost packs repeated numbers otherwise);
/// * `= "default"`: the proto default of an optional scalar or enumeration (the text prost's
///   `default` attribute takes: `"true"`, `"-1"`, `"Guaranteed"`), returned by the generated
///   getter when the field is unset.
#[macro_export]
macro_rules! proto_messages {
    // Rust types: the label's container around the value type.
    (@ty required $t:ty) => { $t };
    (@ty optional $t:ty) => { ::std::option::Option<$t> };
    (@ty repeated $t:ty) => { ::std::vec::Vec<$t> };
    (@scalar string) => { ::std::string::String };
    (@scalar bytes) => { ::std::vec::Vec<u8> };
    (@scalar bool) => { bool };
    (@scalar int32) => { i32 };
    (@scalar sint32) => { i32 };
    (@scalar uint32) => { u32 };
    (@scalar int64) => { i64 };
    (@scalar sint64) => { i64 };
    (@scalar uint64) => { u64 };
    (@scalar float) => { f32 };
    (@scalar double) => { f64 };
    (@scalar enumeration) => { i32 };

    // Fields, one at a time, into `[$($done)*]`; the struct is written once none are left.
    (@fields [$($head:tt)*] [$($done:tt)*]) => {
        #[derive(Clone, PartialEq, ::prost::Message)]
        $($head)* { $($done)* }
    };
    (@fields $head:tt [$($done:tt)*]
        $(#[$meta:meta])* $tag:literal $name:ident : optional boxed message($t:ty), $($rest:tt)*
    ) => {
        $crate::proto_messages!(@fields $head [$($done)*
            #[doc = concat!("Protobuf field ", stringify!($tag), ".")]
            $(#[$meta])*
            #[prost(message, optional, boxed, tag($tag))]
            pub $name: ::std::option::Option<::std::boxed::Box<$t>>,
        ] $($rest)*);
    };
    (@fields $head:tt [$($done:tt)*]
        $(#[$meta:meta])* $tag:literal $name:ident : $label:ident message($t:ty), $($rest:tt)*
    ) => {
        $crate::proto_messages!(@fields $head [$($done)*
            #[doc = concat!("Protobuf field ", stringify!($tag), ".")]
            $(#[$meta])*
            #[prost(message, $label, tag($tag))]
            pub $name: $crate::proto_messages!(@ty $label $t),
        ] $($rest)*);
    };
    (@fields $head:tt [$($done:tt)*]
        $(#[$meta:meta])* $tag:literal $name:ident :
            repeated unpacked $kind:ident $(($($e:tt)+))?, $($rest:tt)*
    ) => {
        $crate::proto_messages!(@fields $head [$($done)*
            #[doc = concat!("Protobuf field ", stringify!($tag), ".")]
            $(#[$meta])*
            #[prost($kind $(($($e)+))?, repeated, packed = "false", tag($tag))]
            pub $name: ::std::vec::Vec<$crate::proto_messages!(@scalar $kind)>,
        ] $($rest)*);
    };
    (@fields $head:tt [$($done:tt)*]
        $(#[$meta:meta])* $tag:literal $name:ident :
            $label:ident $kind:ident $(($($e:tt)+))? $(= $default:tt)?, $($rest:tt)*
    ) => {
        $crate::proto_messages!(@fields $head [$($done)*
            #[doc = concat!("Protobuf field ", stringify!($tag), ".")]
            $(#[$meta])*
            #[prost($kind $(($($e)+))?, $label, tag($tag) $(, default = $default)?)]
            pub $name: $crate::proto_messages!(@ty $label $crate::proto_messages!(@scalar $kind)),
        ] $($rest)*);
    };

    // Entry: any number of structs.
    ($($(#[$meta:meta])* pub struct $name:ident { $($fields:tt)* })*) => {
        $($crate::proto_messages!(@fields [$(#[$meta])* pub struct $name] [] $($fields)*);)*
    };
}

/// Declares protobuf enums as prost enumerations, with the one set of derives every wire enum
/// has (`Clone`, `Copy`, `Debug`, `PartialEq`, `Eq`, `Hash`, `PartialOrd`, `Ord`,
/// [`prost::Enumeration`]) and `#[repr(i32)]`; write the variants with their wire numbers.
/// Each variant's documentation starts with its wire value; write only what the name does not
/// say.
///
/// ```
/// spindle_protocol::proto_enums! {
///     /// A colour.
///     pub enum Colour {
///         /// `RED`.
///         Red = 1,
///         /// `GREEN`.
///         Green = 2,
///     }
/// }
/// assert_eq!(Colour::try_from(2), Ok(Colour::Green));
/// assert_eq!(Colour::Red as i32, 1);
/// ```
#[macro_export]
macro_rules! proto_enums {
    ($(
        $(#[$meta:meta])*
        pub enum $name:ident { $($(#[$vmeta:meta])* $variant:ident = $value:literal),* $(,)? }
    )*) => {
        $(
            $(#[$meta])*
            #[derive(
                Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, ::prost::Enumeration,
            )]
            #[repr(i32)]
            pub enum $name {
                $(
                    #[doc = concat!("Wire value ", stringify!($value), ".")]
                    $(#[$vmeta])*
                    $variant = $value,
                )*
            }
        )*
    };
}
