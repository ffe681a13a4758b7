//! The Java names of the YARN enums: what Java's `Enum.name()` gives for the record enums
//! (`YarnApplicationState.RUNNING`, `NodeState.RUNNING`, `FinalApplicationStatus.SUCCEEDED`,
//! ...). The wire carries the proto names (`NS_RUNNING`, `APP_SUCCEEDED`), which drop or add a
//! prefix; the REST documents, the REST query filters and the status a client prints use the
//! Java names.
//!
//! Each enum gets, as inherent items: `ALL` (every value in wire order), `java_name()`,
//! `from_java_name(name)` (exact; callers that accept any case upper-case first, as the RM's
//! query filters do) and `java_name_of(raw)` for a raw wire value.

use crate::proto::yarn::{
    FinalApplicationStatusProto, LocalResourceTypeProto, LocalResourceVisibilityProto,
    LogAggregationStatusProto, NodeStateProto, YarnApplicationStateProto,
};

/// Writes the Java-name items of one enum from its table (variant → Java name, in wire order).
macro_rules! java_names {
    ($ty:ident { $($variant:ident => $name:literal),+ $(,)? }) => {
        impl $ty {
            /// Every value, in wire order.
            pub const ALL: &'static [$ty] = &[$($ty::$variant),+];

            /// The name of the Java enum constant.
            pub fn java_name(self) -> &'static str {
                match self {
                    $($ty::$variant => $name),+
                }
            }

            /// The value whose Java name is exactly `name`.
            pub fn from_java_name(name: &str) -> Option<Self> {
                match name {
                    $($name => Some($ty::$variant),)+
                    _ => None,
                }
            }

            /// The Java name of a raw wire value. An unknown value reads as the proto default
            /// (the first value), as prost's getter reads it.
            pub fn java_name_of(raw: i32) -> &'static str {
                Self::try_from(raw).unwrap_or(Self::ALL[0]).java_name()
            }
        }
    };
}

java_names!(YarnApplicationStateProto {
    New => "NEW",
    NewSaving => "NEW_SAVING",
    Submitted => "SUBMITTED",
    Accepted => "ACCEPTED",
    Running => "RUNNING",
    Finished => "FINISHED",
    Failed => "FAILED",
    Killed => "KILLED",
});

java_names!(FinalApplicationStatusProto {
    AppUndefined => "UNDEFINED",
    AppSucceeded => "SUCCEEDED",
    AppFailed => "FAILED",
    AppKilled => "KILLED",
    AppEnded => "ENDED",
});

java_names!(NodeStateProto {
    NsNew => "NEW",
    NsRunning => "RUNNING",
    NsUnhealthy => "UNHEALTHY",
    NsDecommissioned => "DECOMMISSIONED",
    NsLost => "LOST",
    NsRebooted => "REBOOTED",
    NsDecommissioning => "DECOMMISSIONING",
    NsShutdown => "SHUTDOWN",
});

java_names!(LogAggregationStatusProto {
    LogDisabled => "DISABLED",
    LogNotStart => "NOT_START",
    LogRunning => "RUNNING",
    LogSucceeded => "SUCCEEDED",
    LogFailed => "FAILED",
    LogTimeOut => "TIME_OUT",
    LogRunningWithFailure => "RUNNING_WITH_FAILURE",
});

java_names!(LocalResourceTypeProto {
    Archive => "ARCHIVE",
    File => "FILE",
    Pattern => "PATTERN",
});

java_names!(LocalResourceVisibilityProto {
    Public => "PUBLIC",
    Private => "PRIVATE",
    Application => "APPLICATION",
});

#[cfg(test)]
mod tests {
    use super::*;

    /// Every value round-trips through its Java name, `ALL` is in wire order and complete, and
    /// unknown wire values read as the first value.
    fn check<T>(
        all: &[T],
        java: fn(T) -> &'static str,
        parse: fn(&str) -> Option<T>,
        of: fn(i32) -> &'static str,
    ) where
        T: Copy + PartialEq + std::fmt::Debug + Into<i32>,
    {
        for w in all.windows(2) {
            assert!(w[0].into() < w[1].into(), "{:?} before {:?}", w[0], w[1]);
        }
        for &v in all {
            assert_eq!(parse(java(v)), Some(v));
            assert_eq!(of(v.into()), java(v));
        }
        assert_eq!(of(99), java(all[0]));
        assert_eq!(of(-1), java(all[0]));
        assert_eq!(parse("BOGUS"), None);
    }

    #[test]
    fn names_round_trip() {
        check(
            YarnApplicationStateProto::ALL,
            YarnApplicationStateProto::java_name,
            YarnApplicationStateProto::from_java_name,
            YarnApplicationStateProto::java_name_of,
        );
        check(
            FinalApplicationStatusProto::ALL,
            FinalApplicationStatusProto::java_name,
            FinalApplicationStatusProto::from_java_name,
            FinalApplicationStatusProto::java_name_of,
        );
        check(
            NodeStateProto::ALL,
            NodeStateProto::java_name,
            NodeStateProto::from_java_name,
            NodeStateProto::java_name_of,
        );
        check(
            LogAggregationStatusProto::ALL,
            LogAggregationStatusProto::java_name,
            LogAggregationStatusProto::from_java_name,
            LogAggregationStatusProto::java_name_of,
        );
        check(
            LocalResourceTypeProto::ALL,
            LocalResourceTypeProto::java_name,
            LocalResourceTypeProto::from_java_name,
            LocalResourceTypeProto::java_name_of,
        );
        check(
            LocalResourceVisibilityProto::ALL,
            LocalResourceVisibilityProto::java_name,
            LocalResourceVisibilityProto::from_java_name,
            LocalResourceVisibilityProto::java_name_of,
        );
    }

    #[test]
    fn names_drop_the_proto_prefix() {
        assert_eq!(NodeStateProto::NsRunning.java_name(), "RUNNING");
        assert_eq!(
            FinalApplicationStatusProto::AppSucceeded.java_name(),
            "SUCCEEDED"
        );
        assert_eq!(
            LogAggregationStatusProto::LogTimeOut.java_name(),
            "TIME_OUT"
        );
        assert_eq!(YarnApplicationStateProto::java_name_of(2), "NEW_SAVING");
        assert_eq!(
            YarnApplicationStateProto::from_java_name("running"),
            None,
            "exact"
        );
        assert_eq!(
            FinalApplicationStatusProto::java_name_of(0),
            "UNDEFINED",
            "the proto default"
        );
    }
}
