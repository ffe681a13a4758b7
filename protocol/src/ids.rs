//! YARN identifiers with Hadoop's exact string forms.
//!
//! | type | example |
//! |---|---|
//! | [`ApplicationId`] | `application_1410901177871_0001` |
//! | [`ApplicationAttemptId`] | `appattempt_1410901177871_0001_000001` |
//! | [`ContainerId`] | `container_1410901177871_0001_01_000005`, `container_e17_1410901177871_0001_01_000005` |
//! | [`NodeId`] | `host:port` |
//!
//! Numbers are zero-padded to a *minimum* width (4 for the application id, 6 for the attempt in
//! an attempt id, 2 for the attempt and epoch and 6 for the sequence in a container id); longer
//! numbers print in full. A container id's `i64` packs the epoch in bits 40 and up and the
//! sequence number in the low 40 bits.

use std::fmt;
use std::str::FromStr;

use crate::proto::yarn::{
    ApplicationAttemptIdProto, ApplicationIdProto, ContainerIdProto, NodeIdProto,
};

/// Mask of the sequence-number bits of a container id (`CONTAINER_ID_BITMASK`).
pub const CONTAINER_ID_BITMASK: i64 = 0xff_ffff_ffff;

/// Largest epoch that fits a container id (`i64` has 23 bits left above the sequence).
pub const MAX_CONTAINER_EPOCH: i64 = (1 << 23) - 1;

/// Why an id could not be parsed or converted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    /// The string is not a valid id of that kind.
    #[error("invalid {kind} '{input}': {reason}")]
    Parse {
        /// Which id was being parsed, e.g. `ContainerId`.
        kind: &'static str,
        /// The input (truncated to 200 characters).
        input: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A protobuf id lacks a field every Hadoop writer sets.
    #[error("{message} has no {field}; every Hadoop writer sets it")]
    MissingField {
        /// The proto message name.
        message: &'static str,
        /// The missing field name.
        field: &'static str,
    },
    /// A value is out of range (e.g. a container sequence wider than 40 bits).
    #[error("{what} out of range: {value}")]
    OutOfRange {
        /// Which value.
        what: &'static str,
        /// The offending value.
        value: i64,
    },
}

fn parse_err(kind: &'static str, input: &str, reason: impl Into<String>) -> IdError {
    let mut shown: String = input.chars().take(200).collect();
    if shown.len() < input.len() {
        shown.push('…');
    }
    IdError::Parse {
        kind,
        input: shown,
        reason: reason.into(),
    }
}

/// A reader of an id's `_`-separated parts after the prefix (`kind` and the whole input `s`
/// are for its errors).
type PartsReader<T> = fn(kind: &'static str, s: &str, parts: &[&str]) -> Result<T, IdError>;

/// Parses `s`, whose `_`-separated parts must be as many as in `form` and start with the same
/// prefix, by reading the parts after the prefix with `read`.
fn parse_form<T>(
    kind: &'static str,
    s: &str,
    form: &str,
    read: PartsReader<T>,
) -> Result<T, IdError> {
    let parts: Vec<&str> = s.split('_').collect();
    let expected: Vec<&str> = form.split('_').collect();
    if parts.len() != expected.len() || parts[0] != expected[0] {
        return Err(parse_err(kind, s, format!("expected {form}")));
    }
    read(kind, s, &parts[1..])
}

/// The application id in `parts`: cluster timestamp and application number (at least two
/// parts, checked by the caller).
fn parse_app_parts(kind: &'static str, s: &str, parts: &[&str]) -> Result<ApplicationId, IdError> {
    Ok(ApplicationId {
        cluster_timestamp: parse_num(kind, s, parts[0], "cluster timestamp")?,
        id: parse_num(kind, s, parts[1], "application number")?,
    })
}

/// The attempt id in `parts`: the application id's two parts, then the attempt number (at
/// least three parts, checked by the caller).
fn parse_attempt_parts(
    kind: &'static str,
    s: &str,
    parts: &[&str],
) -> Result<ApplicationAttemptId, IdError> {
    Ok(ApplicationAttemptId {
        application_id: parse_app_parts(kind, s, parts)?,
        attempt_id: parse_num(kind, s, parts[2], "attempt number")?,
    })
}

/// `value`, or [`IdError::MissingField`] naming `field` of `message`.
pub(crate) fn required<T>(
    value: Option<T>,
    message: &'static str,
    field: &'static str,
) -> Result<T, IdError> {
    value.ok_or(IdError::MissingField { message, field })
}

/// `From<id> for proto` and `TryFrom<&proto> for id`, through the id's `to_proto` and
/// `from_proto`.
macro_rules! proto_conversions {
    ($id:ty, $from:ty => $proto:ty) => {
        impl From<$from> for $proto {
            fn from(id: $from) -> Self {
                id.to_proto()
            }
        }

        impl TryFrom<&$proto> for $id {
            type Error = IdError;
            fn try_from(p: &$proto) -> Result<Self, IdError> {
                <$id>::from_proto(p)
            }
        }
    };
}

proto_conversions!(ApplicationId, ApplicationId => ApplicationIdProto);
proto_conversions!(ApplicationAttemptId, ApplicationAttemptId => ApplicationAttemptIdProto);
proto_conversions!(ContainerId, ContainerId => ContainerIdProto);
proto_conversions!(NodeId, &NodeId => NodeIdProto);

/// `FromStr` for an id whose string form has the fixed `_`-separated parts of `form`, the
/// parts after the prefix read by `read` (see [`parse_form`]).
macro_rules! from_str_by_form {
    ($id:ident, $form:literal, $read:expr) => {
        impl FromStr for $id {
            type Err = IdError;
            fn from_str(s: &str) -> Result<Self, IdError> {
                parse_form(stringify!($id), s, $form, $read)
            }
        }
    };
}

from_str_by_form!(
    ApplicationId,
    "application_<clusterTimestamp>_<id>",
    parse_app_parts
);
from_str_by_form!(
    ApplicationAttemptId,
    "appattempt_<clusterTimestamp>_<appId>_<attemptId>",
    parse_attempt_parts
);

/// Writes `n` zero-padded to at least `width` digits, the way Java's `NumberFormat` with
/// `minimumIntegerDigits` does (sign first, then padded digits).
fn write_padded(f: &mut fmt::Formatter<'_>, n: i64, width: usize) -> fmt::Result {
    let mut buf = [0u8; 24];
    f.write_str(padded(&mut buf, n, width))
}

/// The application parts every id's string form shares: `<clusterTimestamp>_<id>`, the
/// application number padded to 4 digits.
fn write_app_parts(f: &mut fmt::Formatter<'_>, app: ApplicationId) -> fmt::Result {
    write_padded(f, app.cluster_timestamp, 1)?;
    f.write_str("_")?;
    write_padded(f, app.id.into(), 4)
}

/// `n` in decimal, zero-padded to `width` digits, written into `buf` (ids are printed by the
/// ten thousand per heartbeat: this skips the formatting machinery).
fn padded(buf: &mut [u8; 24], n: i64, width: usize) -> &str {
    let mut v = n.unsigned_abs();
    let mut i = buf.len();
    let mut digits = 0;
    while v > 0 || digits < width.clamp(1, 20) {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        digits += 1;
    }
    if n < 0 {
        i -= 1;
        buf[i] = b'-';
    }
    // Only ASCII digits and '-' were written.
    std::str::from_utf8(&buf[i..]).unwrap_or("")
}

/// Parses a decimal number with an optional leading `-` (no `+`, no blanks).
fn parse_num<T: FromStr>(
    kind: &'static str,
    input: &str,
    part: &str,
    what: &str,
) -> Result<T, IdError> {
    let digits = part.strip_prefix('-').unwrap_or(part);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(parse_err(
            kind,
            input,
            format!("{what} '{part}' is not a decimal number"),
        ));
    }
    part.parse::<T>()
        .map_err(|_| parse_err(kind, input, format!("{what} '{part}' does not fit")))
}

// ---------------------------------------------------------------------------------------------

/// An application id: the RM's start time and a sequence number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ApplicationId {
    /// The RM's start time in ms (`cluster_timestamp`).
    pub cluster_timestamp: i64,
    /// The sequence number within that RM.
    pub id: i32,
}

impl ApplicationId {
    /// The prefix of the string form.
    pub const PREFIX: &'static str = "application";

    /// An application id from its parts.
    pub fn new(cluster_timestamp: i64, id: i32) -> Self {
        ApplicationId {
            cluster_timestamp,
            id,
        }
    }

    /// The protobuf form.
    pub fn to_proto(&self) -> ApplicationIdProto {
        ApplicationIdProto {
            id: Some(self.id),
            cluster_timestamp: Some(self.cluster_timestamp),
        }
    }

    /// Reads the protobuf form; both fields must be present.
    pub fn from_proto(p: &ApplicationIdProto) -> Result<Self, IdError> {
        const M: &str = "ApplicationIdProto";
        Ok(ApplicationId {
            id: required(p.id, M, "id")?,
            cluster_timestamp: required(p.cluster_timestamp, M, "cluster_timestamp")?,
        })
    }
}

impl fmt::Display for ApplicationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("application_")?;
        write_app_parts(f, *self)
    }
}

// ---------------------------------------------------------------------------------------------

/// An application attempt id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ApplicationAttemptId {
    /// The application.
    pub application_id: ApplicationId,
    /// The attempt number (1 for the first attempt).
    pub attempt_id: i32,
}

impl ApplicationAttemptId {
    /// The prefix of the string form.
    pub const PREFIX: &'static str = "appattempt";

    /// An attempt id from its parts.
    pub fn new(application_id: ApplicationId, attempt_id: i32) -> Self {
        ApplicationAttemptId {
            application_id,
            attempt_id,
        }
    }

    /// The protobuf form.
    pub fn to_proto(&self) -> ApplicationAttemptIdProto {
        ApplicationAttemptIdProto {
            application_id: Some(self.application_id.to_proto()),
            attempt_id: Some(self.attempt_id),
        }
    }

    /// Reads the protobuf form; all fields must be present.
    pub fn from_proto(p: &ApplicationAttemptIdProto) -> Result<Self, IdError> {
        const M: &str = "ApplicationAttemptIdProto";
        let app =
            ApplicationId::from_proto(required(p.application_id.as_ref(), M, "application_id")?)?;
        Ok(ApplicationAttemptId::new(
            app,
            required(p.attempt_id, M, "attemptId")?,
        ))
    }
}

impl fmt::Display for ApplicationAttemptId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("appattempt_")?;
        write_app_parts(f, self.application_id)?;
        f.write_str("_")?;
        write_padded(f, self.attempt_id.into(), 6)
    }
}

// ---------------------------------------------------------------------------------------------

/// A container id: the attempt that owns it plus a 64-bit number packing the RM epoch (bits 40
/// and up) and the sequence number (low 40 bits).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ContainerId {
    /// The owning attempt.
    pub application_attempt_id: ApplicationAttemptId,
    /// The raw id (epoch << 40 | sequence).
    pub id: i64,
}

impl ContainerId {
    /// The prefix of the string form.
    pub const PREFIX: &'static str = "container";

    /// A container id from its raw 64-bit number.
    pub fn new(application_attempt_id: ApplicationAttemptId, id: i64) -> Self {
        ContainerId {
            application_attempt_id,
            id,
        }
    }

    /// A container id from epoch and sequence number, checking both fit.
    pub fn with_epoch(
        application_attempt_id: ApplicationAttemptId,
        epoch: i64,
        sequence: i64,
    ) -> Result<Self, IdError> {
        if !(0..=MAX_CONTAINER_EPOCH).contains(&epoch) {
            return Err(IdError::OutOfRange {
                what: "container epoch",
                value: epoch,
            });
        }
        if !(0..=CONTAINER_ID_BITMASK).contains(&sequence) {
            return Err(IdError::OutOfRange {
                what: "container sequence number (40 bits)",
                value: sequence,
            });
        }
        Ok(ContainerId {
            application_attempt_id,
            id: (epoch << 40) | sequence,
        })
    }

    /// The RM epoch (bits 40 and up).
    pub fn epoch(&self) -> i64 {
        self.id >> 40
    }

    /// The sequence number (low 40 bits); the AM container is 1.
    pub fn sequence(&self) -> i64 {
        self.id & CONTAINER_ID_BITMASK
    }

    /// The application this container belongs to.
    pub fn application_id(&self) -> ApplicationId {
        self.application_attempt_id.application_id
    }

    /// The protobuf form (like Java, the legacy `app_id` field is left unset).
    pub fn to_proto(&self) -> ContainerIdProto {
        ContainerIdProto {
            app_id: None,
            app_attempt_id: Some(self.application_attempt_id.to_proto()),
            id: Some(self.id),
        }
    }

    /// Reads the protobuf form; `app_attempt_id` and `id` must be present.
    pub fn from_proto(p: &ContainerIdProto) -> Result<Self, IdError> {
        const M: &str = "ContainerIdProto";
        let attempt = required(p.app_attempt_id.as_ref(), M, "app_attempt_id")?;
        Ok(ContainerId {
            application_attempt_id: ApplicationAttemptId::from_proto(attempt)?,
            id: required(p.id, M, "id")?,
        })
    }
}

impl fmt::Display for ContainerId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("container_")?;
        let epoch = self.epoch();
        if epoch > 0 {
            f.write_str("e")?;
            write_padded(f, epoch, 2)?;
            f.write_str("_")?;
        }
        write_app_parts(f, self.application_attempt_id.application_id)?;
        f.write_str("_")?;
        write_padded(f, self.application_attempt_id.attempt_id.into(), 2)?;
        f.write_str("_")?;
        write_padded(f, self.sequence(), 6)
    }
}

impl FromStr for ContainerId {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Self, IdError> {
        const KIND: &str = "ContainerId";
        let parts: Vec<&str> = s.split('_').collect();
        if parts.first() != Some(&Self::PREFIX) {
            return Err(parse_err(KIND, s, "does not start with 'container_'"));
        }
        let (epoch, rest) = match parts.get(1) {
            Some(p) if p.starts_with('e') => {
                let epoch: i64 = parse_num(KIND, s, &p[1..], "epoch")?;
                (epoch, &parts[2..])
            }
            _ => (0, &parts[1..]),
        };
        if rest.len() != 4 {
            return Err(parse_err(
                KIND,
                s,
                "expected container_[e<epoch>_]<clusterTimestamp>_<appId>_<attemptId>_<sequence>",
            ));
        }
        let attempt = parse_attempt_parts(KIND, s, rest)?;
        let sequence: i64 = parse_num(KIND, s, rest[3], "sequence number")?;
        ContainerId::with_epoch(attempt, epoch, sequence)
            .map_err(|e| parse_err(KIND, s, e.to_string()))
    }
}

// ---------------------------------------------------------------------------------------------

/// A NodeManager id, printed `host:port`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId {
    /// The host name (or address) the NM registered with.
    pub host: String,
    /// The ContainerManagement RPC port.
    pub port: i32,
}

impl NodeId {
    /// A node id from its parts.
    pub fn new(host: impl Into<String>, port: i32) -> Self {
        NodeId {
            host: host.into(),
            port,
        }
    }

    /// The protobuf form.
    pub fn to_proto(&self) -> NodeIdProto {
        NodeIdProto {
            host: Some(self.host.clone()),
            port: Some(self.port),
        }
    }

    /// Reads the protobuf form; both fields must be present.
    pub fn from_proto(p: &NodeIdProto) -> Result<Self, IdError> {
        Ok(NodeId {
            host: required(p.host.clone(), "NodeIdProto", "host")?,
            port: required(p.port, "NodeIdProto", "port")?,
        })
    }
}

impl fmt::Display for NodeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.host, self.port)
    }
}

impl FromStr for NodeId {
    type Err = IdError;
    /// Parses `host:port` like Hadoop: exactly one `:`, and a decimal port.
    fn from_str(s: &str) -> Result<Self, IdError> {
        const KIND: &str = "NodeId";
        let parts: Vec<&str> = s.split(':').collect();
        if parts.len() != 2 {
            return Err(parse_err(KIND, s, "expected host:port"));
        }
        Ok(NodeId {
            host: parts[0].to_string(),
            port: parse_num(KIND, s, parts[1].trim(), "port")?,
        })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn numbers_pad_like_java_formatting() {
        let mut buf = [0u8; 24];
        for (n, width, want) in [
            (0, 4, "0000"),
            (7, 2, "07"),
            (12345, 4, "12345"),
            (-3, 2, "-03"),
            (0, 0, "0"),
            (i64::MAX, 6, "9223372036854775807"),
            (i64::MIN, 6, "-9223372036854775808"),
        ] {
            assert_eq!(padded(&mut buf, n, width), want, "{n} {width}");
            assert_eq!(
                padded(&mut buf, n, width),
                format!("{:0width$}", n, width = width + usize::from(n < 0))
            );
        }
    }

    use super::*;

    fn app() -> ApplicationId {
        ApplicationId::new(1410901177871, 1)
    }

    #[test]
    fn strings_match_hadoop() {
        assert_eq!(app().to_string(), "application_1410901177871_0001");
        let attempt = ApplicationAttemptId::new(app(), 1);
        assert_eq!(attempt.to_string(), "appattempt_1410901177871_0001_000001");
        let c = ContainerId::new(attempt, 5);
        assert_eq!(c.to_string(), "container_1410901177871_0001_01_000005");
        let e = ContainerId::with_epoch(attempt, 17, 5).unwrap();
        assert_eq!(e.to_string(), "container_e17_1410901177871_0001_01_000005");
        assert_eq!(e.epoch(), 17);
        assert_eq!(e.sequence(), 5);
        assert_eq!(e.id, (17 << 40) | 5);
        assert_eq!(NodeId::new("nm1", 8041).to_string(), "nm1:8041");
    }

    #[test]
    fn padding_is_a_minimum_width() {
        let a = ApplicationId::new(1, 123456);
        assert_eq!(a.to_string(), "application_1_123456");
        let at = ApplicationAttemptId::new(a, 1234567);
        assert_eq!(at.to_string(), "appattempt_1_123456_1234567");
        let c = ContainerId::with_epoch(at, 3, 12345678).unwrap();
        assert_eq!(c.to_string(), "container_e03_1_123456_1234567_12345678");
        assert_eq!(c.to_string().parse::<ContainerId>().unwrap(), c);
    }

    #[test]
    fn parses_hadoop_strings() {
        let c: ContainerId = "container_e17_1410901177871_0001_01_000005"
            .parse()
            .unwrap();
        assert_eq!(c.epoch(), 17);
        assert_eq!(c.sequence(), 5);
        assert_eq!(c.application_attempt_id.attempt_id, 1);
        assert_eq!(c.application_id(), app());
        let a: ApplicationAttemptId = "appattempt_1700000000000_0001_000001".parse().unwrap();
        assert_eq!(a.application_id, ApplicationId::new(1700000000000, 1));
        let n: NodeId = "127.0.0.1:28041".parse().unwrap();
        assert_eq!(n, NodeId::new("127.0.0.1", 28041));
    }

    #[test]
    fn rejects_bad_strings_with_typed_errors() {
        for bad in [
            "",
            "application_1",
            "application_x_0001",
            "application_1_0001_3",
            "app_1_0001",
            "application_1_+1",
        ] {
            assert!(
                matches!(bad.parse::<ApplicationId>(), Err(IdError::Parse { .. })),
                "{bad}"
            );
        }
        for bad in [
            "container_1_0001_01",
            "container_e_1_0001_01_000001",
            "container_1_0001_01_000001_7",
            "container_1_0001_01_1099511627776",
            "container_e8388608_1_0001_01_000001",
            "containr_1_0001_01_000001",
        ] {
            let err = bad.parse::<ContainerId>().unwrap_err();
            assert!(
                matches!(
                    err,
                    IdError::Parse {
                        kind: "ContainerId",
                        ..
                    }
                ),
                "{bad}: {err}"
            );
        }
        assert!("host".parse::<NodeId>().is_err());
        assert!("a:b:1".parse::<NodeId>().is_err());
        assert!("host:http".parse::<NodeId>().is_err());
        assert!("host:99999999999".parse::<NodeId>().is_err());
    }

    #[test]
    fn proto_round_trip_and_missing_fields() {
        let c = ContainerId::with_epoch(ApplicationAttemptId::new(app(), 2), 1, 9).unwrap();
        let p = c.to_proto();
        assert!(p.app_id.is_none());
        assert_eq!(ContainerId::from_proto(&p).unwrap(), c);
        let mut broken = p.clone();
        broken.app_attempt_id.as_mut().unwrap().attempt_id = None;
        assert_eq!(
            ContainerId::from_proto(&broken),
            Err(IdError::MissingField {
                message: "ApplicationAttemptIdProto",
                field: "attemptId"
            })
        );
        let n = NodeId::new("h", 1);
        assert_eq!(NodeId::from_proto(&n.to_proto()).unwrap(), n);
        assert!(NodeId::from_proto(&NodeIdProto::default()).is_err());
    }
}
