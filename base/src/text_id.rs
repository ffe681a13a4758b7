//! [`text_id!`](macro@crate::text_id): an opaque id that is only text, cheap to clone.
//!
//! The allocator's container ids and the scheduler's executor ids are compared, hashed, logged
//! and passed around far more often than they are built, and neither crate parses them: a
//! shared `Arc<str>` behind a type of its own keeps them from being mixed up with other text.

/// Declares `pub struct Name(Arc<str>)` with `new`, `as_str`, `Display` (the text as it is),
/// `Debug` (the text quoted, without the type's name, so logs of id lists stay readable) and
/// `From<&str>` / `From<String>`.
///
/// ```
/// spindle_base::text_id! {
///     /// A worker's name.
///     pub struct WorkerName;
/// }
/// let w = WorkerName::from("w-1");
/// assert_eq!(w.as_str(), "w-1");
/// assert_eq!(w.to_string(), "w-1");
/// assert_eq!(format!("{:?}", vec![w]), r#"["w-1"]"#);
/// ```
#[macro_export]
macro_rules! text_id {
    ($(#[$meta:meta])* $vis:vis struct $name:ident;) => {
        $(#[$meta])*
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis struct $name(::std::sync::Arc<str>);

        impl $name {
            /// Wraps an id.
            pub fn new(id: impl Into<::std::sync::Arc<str>>) -> Self {
                Self(id.into())
            }

            /// The id as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl ::std::fmt::Debug for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Debug::fmt(&*self.0, f)
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(s: &str) -> Self {
                Self::new(s)
            }
        }

        impl ::std::convert::From<::std::string::String> for $name {
            fn from(s: ::std::string::String) -> Self {
                Self::new(s)
            }
        }
    };
}

#[cfg(test)]
mod tests {
    crate::text_id! {
        /// A test id.
        pub(crate) struct Id;
    }

    #[test]
    fn ids_compare_and_print_as_their_text() {
        let a = Id::new("a");
        assert_eq!(a, Id::from(String::from("a")));
        assert!(Id::from("a") < Id::from("b"));
        assert_eq!(a.as_str(), "a");
        assert_eq!(a.to_string(), "a");
        assert_eq!(format!("{:?}", Id::from("a\"b")), r#""a\"b""#);
    }
}
