//! `ProtoRoundTrip`: fully populated samples from Hadoop's generated protobuf classes, and checks
//! that bytes we produce parse back into the same message with no unknown fields.

use std::time::Duration;

use crate::error::{HarnessError, Result};
use crate::process::{JavaCommand, JavaProcess, READY_TIMEOUT};

const REPLY_TIMEOUT: Duration = Duration::from_secs(30);

/// Hadoop's verdict on bytes we sent back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Parsed, no unknown fields, equal to the sample.
    Same,
    /// What differs (dropped or changed fields, unknown fields, parse errors).
    Diff(String),
}

/// One field of a message as Hadoop declares it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldSchema {
    /// Field number.
    pub number: u32,
    /// Proto type, lower case: `int32`, `sint32`, `string`, `bytes`, `message`, `enum`, ...
    pub ty: String,
    /// `required`, `optional` or `repeated`.
    pub label: String,
    /// Whether a repeated scalar is packed on the wire.
    pub packed: bool,
    /// Field name in the `.proto` file.
    pub name: String,
}

/// A running `spindle.interop.ProtoRoundTrip` session.
pub struct ProtoRoundTrip {
    process: JavaProcess,
}

impl ProtoRoundTrip {
    /// Starts the JVM and waits until it has loaded every message class.
    pub async fn start() -> Result<Self> {
        let mut process = JavaCommand::new("spindle.interop.ProtoRoundTrip")
            .spawn()
            .await?;
        process.wait_for("READY ", READY_TIMEOUT).await?;
        Ok(ProtoRoundTrip { process })
    }

    async fn ask(&mut self, line: &str, reply: &str) -> Result<String> {
        let got = self.process.request(line, REPLY_TIMEOUT).await?;
        if let Some(rest) = got.strip_prefix(reply) {
            return Ok(rest.to_string());
        }
        Err(HarnessError::Protocol(format!(
            "`{}` answered `{got}`",
            line.split(' ').take(2).collect::<Vec<_>>().join(" ")
        )))
    }

    /// Full names of every message Hadoop's jar defines (`hadoop.yarn.ContainerProto`, ...).
    pub async fn names(&mut self) -> Result<Vec<String>> {
        Ok(self
            .ask("LIST", "NAMES ")
            .await?
            .split_whitespace()
            .map(str::to_string)
            .collect())
    }

    /// Every enum Hadoop's jar defines: full name → value numbers.
    pub async fn enums(&mut self) -> Result<std::collections::BTreeMap<String, Vec<i32>>> {
        let line = self.ask("ENUMS", "ENUMS").await?;
        let mut out = std::collections::BTreeMap::new();
        for item in line.split_whitespace() {
            let (name, nums) = item
                .split_once('=')
                .ok_or_else(|| HarnessError::Protocol(format!("bad ENUMS item `{item}`")))?;
            let values = nums
                .split(',')
                .filter(|n| !n.is_empty())
                .map(|n| {
                    n.parse::<i32>().map_err(|e| {
                        HarnessError::Protocol(format!("bad enum value `{n}` of {name}: {e}"))
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            out.insert(name.to_string(), values);
        }
        Ok(out)
    }

    /// The declared fields of a message, as Hadoop's descriptor has them.
    pub async fn schema(&mut self, name: &str) -> Result<Vec<FieldSchema>> {
        let line = self.ask(&format!("SCHEMA {name}"), "SCHEMA").await?;
        line.split_whitespace()
            .map(|item| {
                let parts: Vec<&str> = item.splitn(5, ':').collect();
                let bad = || HarnessError::Protocol(format!("bad SCHEMA item `{item}` of {name}"));
                let [number, ty, label, packed, field] = parts.as_slice() else {
                    return Err(bad());
                };
                Ok(FieldSchema {
                    number: number.parse().map_err(|_| bad())?,
                    ty: (*ty).to_string(),
                    label: (*label).to_string(),
                    packed: *packed == "1",
                    name: (*field).to_string(),
                })
            })
            .collect()
    }

    /// The serialized, fully populated sample of a message.
    pub async fn sample(&mut self, name: &str) -> Result<Vec<u8>> {
        let h = self.ask(&format!("SAMPLE {name}"), "SAMPLE ").await?;
        hex::decode(h.trim())
            .map_err(|e| HarnessError::Protocol(format!("sample of {name} is not hex: {e}")))
    }

    /// Parses `bytes` with Hadoop's class for `name` and compares it with the sample.
    pub async fn check(&mut self, name: &str, bytes: &[u8]) -> Result<Verdict> {
        let got = self
            .process
            .request(
                &format!("CHECK {name} {}", hex::encode(bytes)),
                REPLY_TIMEOUT,
            )
            .await?;
        if got == "OK" {
            Ok(Verdict::Same)
        } else if let Some(d) = got.strip_prefix("DIFF ") {
            Ok(Verdict::Diff(d.to_string()))
        } else {
            Err(HarnessError::Protocol(format!(
                "CHECK {name} answered `{got}`"
            )))
        }
    }
}

/// Removes every top-level occurrence of field `number` from a serialized message (a test helper:
/// it shows that a dropped field is noticed). Fails on malformed input.
pub fn without_field(bytes: &[u8], number: u32) -> Result<Vec<u8>> {
    let bad = |what: &str| HarnessError::Protocol(format!("malformed protobuf: {what}"));
    let varint = |b: &[u8], pos: &mut usize| -> Result<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = *b.get(*pos).ok_or_else(|| bad("truncated varint"))?;
            *pos += 1;
            v |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(bad("varint too long"))
    };
    let mut out = Vec::with_capacity(bytes.len());
    let mut pos = 0;
    while pos < bytes.len() {
        let start = pos;
        let key = varint(bytes, &mut pos)?;
        match key & 7 {
            0 => {
                varint(bytes, &mut pos)?;
            }
            1 => pos += 8,
            2 => {
                let len = usize::try_from(varint(bytes, &mut pos)?).map_err(|_| bad("length"))?;
                pos = pos.checked_add(len).ok_or_else(|| bad("length"))?;
            }
            5 => pos += 4,
            w => return Err(bad(&format!("unsupported wire type {w}"))),
        }
        if pos > bytes.len() {
            return Err(bad("field runs past the end"));
        }
        if (key >> 3) != u64::from(number) {
            out.extend_from_slice(&bytes[start..pos]);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::without_field;

    #[test]
    fn drops_only_the_named_top_level_field() {
        // f1 varint 1, f2 bytes "ab", f3 fixed64, f2 again, f5 fixed32
        let msg = [
            0x08, 0x01, 0x12, 0x02, b'a', b'b', 0x19, 1, 2, 3, 4, 5, 6, 7, 8, 0x12, 0x00, 0x2d, 1,
            2, 3, 4,
        ];
        assert_eq!(
            without_field(&msg, 2).expect("valid"),
            [0x08, 0x01, 0x19, 1, 2, 3, 4, 5, 6, 7, 8, 0x2d, 1, 2, 3, 4]
        );
        assert_eq!(without_field(&msg, 9).expect("valid"), msg);
    }

    #[test]
    fn malformed_input_is_an_error() {
        assert!(
            without_field(&[0x12, 0x05, 0x00], 1).is_err(),
            "length past the end"
        );
        assert!(without_field(&[0x08], 1).is_err(), "truncated varint");
        assert!(without_field(&[0x0b], 1).is_err(), "group wire type");
    }
}
