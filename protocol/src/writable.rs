//! Hadoop `Writable` primitives: `WritableUtils` variable-length integers and `Text`.
//!
//! * vint/vlong: a value in `[-112, 127]` is one byte. Otherwise a first byte of -113..-120
//!   announces a positive value in 1..8 big-endian bytes, and -121..-128 a negative one stored
//!   as its one's complement.
//! * `Text`: `vint(byte length)` followed by UTF-8 bytes.
//!
//! Readers never panic: every length is checked against the remaining input and against a
//! caller-supplied maximum, and errors say what was being read and at which offset.

/// Why Writable data could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WritableError {
    /// The input ended in the middle of a value.
    #[error(
        "truncated input: {what} needs {needed} more byte(s) at offset {offset}, only {available} left"
    )]
    Truncated {
        /// What was being read.
        what: &'static str,
        /// Bytes needed.
        needed: usize,
        /// Bytes left.
        available: usize,
        /// Offset of the value.
        offset: usize,
    },
    /// A length prefix is larger than allowed.
    #[error("{what} is too long: {len} bytes at offset {offset} (limit {max})")]
    TooLong {
        /// What was being read.
        what: &'static str,
        /// The length found.
        len: u64,
        /// The limit.
        max: usize,
        /// Offset of the length prefix.
        offset: usize,
    },
    /// A length prefix is negative.
    #[error("{what} has a negative length {len} at offset {offset}")]
    NegativeLength {
        /// What was being read.
        what: &'static str,
        /// The length found.
        len: i64,
        /// Offset of the length prefix.
        offset: usize,
    },
    /// A vint does not fit in 32 bits.
    #[error("{what}: value {value} at offset {offset} does not fit in a 32-bit vint")]
    IntOverflow {
        /// What was being read.
        what: &'static str,
        /// The value found.
        value: i64,
        /// Offset of the value.
        offset: usize,
    },
    /// A `Text` is not valid UTF-8.
    #[error("{what} at offset {offset} is not valid UTF-8")]
    InvalidUtf8 {
        /// What was being read.
        what: &'static str,
        /// Offset of the text bytes.
        offset: usize,
    },
}

/// Number of bytes `write_vlong(v)` produces (1..=9).
pub fn vlong_size(v: i64) -> usize {
    if (-112..=127).contains(&v) {
        return 1;
    }
    let magnitude = if v < 0 { !v } else { v } as u64;
    let data_bytes = (64 - magnitude.leading_zeros() as usize).div_ceil(8);
    1 + data_bytes
}

/// Appends `v` in Hadoop's `WritableUtils.writeVLong` encoding.
pub fn write_vlong(buf: &mut Vec<u8>, v: i64) {
    if (-112..=127).contains(&v) {
        buf.push(v as u8);
        return;
    }
    let (magnitude, base) = if v < 0 { (!v, -120i32) } else { (v, -112i32) };
    let n = vlong_size(v) - 1;
    buf.push((base - n as i32) as u8);
    for idx in (0..n).rev() {
        buf.push((magnitude >> (idx * 8)) as u8);
    }
}

/// Appends `v` in Hadoop's `WritableUtils.writeVInt` encoding (same bytes as the vlong).
pub fn write_vint(buf: &mut Vec<u8>, v: i32) {
    write_vlong(buf, v.into());
}

/// Appends `vint(len)` and the bytes (the layout of `Token`'s identifier and password).
///
/// # Panics
/// Never for real data: slices longer than `i32::MAX` bytes cannot be represented by Hadoop and
/// are rejected by an assertion.
pub fn write_vint_bytes(buf: &mut Vec<u8>, bytes: &[u8]) {
    let len = i32::try_from(bytes.len()).expect("Writable byte arrays are limited to i32::MAX");
    write_vint(buf, len);
    buf.extend_from_slice(bytes);
}

/// Appends a Hadoop `Text`: `vint(byte length)` and the UTF-8 bytes.
pub fn write_text(buf: &mut Vec<u8>, s: &str) {
    write_vint_bytes(buf, s.as_bytes());
}

/// A bounds-checked reader over Writable data.
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    /// A reader at the start of `data`.
    pub fn new(data: &'a [u8]) -> Self {
        Reader { data, pos: 0 }
    }

    /// Current offset from the start.
    pub fn position(&self) -> usize {
        self.pos
    }

    /// The bytes not read yet.
    pub fn remaining(&self) -> &'a [u8] {
        &self.data[self.pos..]
    }

    /// True when everything has been read.
    pub fn is_empty(&self) -> bool {
        self.pos >= self.data.len()
    }

    /// Reads exactly `n` bytes.
    pub fn read_bytes(&mut self, n: usize, what: &'static str) -> Result<&'a [u8], WritableError> {
        let available = self.data.len() - self.pos;
        if n > available {
            return Err(WritableError::Truncated {
                what,
                needed: n,
                available,
                offset: self.pos,
            });
        }
        let out = &self.data[self.pos..self.pos + n];
        self.pos += n;
        Ok(out)
    }

    /// Reads one byte.
    pub fn read_u8(&mut self, what: &'static str) -> Result<u8, WritableError> {
        Ok(self.read_bytes(1, what)?[0])
    }

    /// Reads a `WritableUtils` vlong.
    pub fn read_vlong(&mut self, what: &'static str) -> Result<i64, WritableError> {
        let start = self.pos;
        let first = self.read_u8(what)? as i8;
        if first >= -112 {
            return Ok(first.into());
        }
        let (n, negative) = if first < -120 {
            ((-120 - i32::from(first)) as usize, true)
        } else {
            ((-112 - i32::from(first)) as usize, false)
        };
        let bytes = self.read_bytes(n, what).inspect_err(|_| self.pos = start)?;
        let mut v: i64 = 0;
        for &b in bytes {
            v = (v << 8) | i64::from(b);
        }
        Ok(if negative { !v } else { v })
    }

    /// Reads a `WritableUtils` vint (a vlong that must fit in 32 bits).
    pub fn read_vint(&mut self, what: &'static str) -> Result<i32, WritableError> {
        let offset = self.pos;
        let v = self.read_vlong(what)?;
        i32::try_from(v).map_err(|_| WritableError::IntOverflow {
            what,
            value: v,
            offset,
        })
    }

    /// Reads a non-negative vint length no larger than `max`.
    pub fn read_len(&mut self, what: &'static str, max: usize) -> Result<usize, WritableError> {
        let offset = self.pos;
        let len = self.read_vlong(what)?;
        if len < 0 {
            return Err(WritableError::NegativeLength { what, len, offset });
        }
        if len as u64 > max as u64 {
            return Err(WritableError::TooLong {
                what,
                len: len as u64,
                max,
                offset,
            });
        }
        Ok(len as usize)
    }

    /// Reads `vint(len)` + bytes, with `len <= max`.
    pub fn read_vint_bytes(
        &mut self,
        what: &'static str,
        max: usize,
    ) -> Result<&'a [u8], WritableError> {
        let len = self.read_len(what, max)?;
        self.read_bytes(len, what)
    }

    /// Reads a `Text` of at most `max` bytes.
    pub fn read_text(&mut self, what: &'static str, max: usize) -> Result<&'a str, WritableError> {
        let bytes = self.read_vint_bytes(what, max)?;
        std::str::from_utf8(bytes).map_err(|_| WritableError::InvalidUtf8 {
            what,
            offset: self.pos - bytes.len(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn enc(v: i64) -> Vec<u8> {
        let mut b = Vec::new();
        write_vlong(&mut b, v);
        b
    }

    #[test]
    fn edge_values_match_hadoop() {
        assert_eq!(enc(0), [0x00]);
        assert_eq!(enc(-1), [0xff]);
        assert_eq!(enc(127), [0x7f]);
        assert_eq!(enc(-112), [0x90]);
        assert_eq!(enc(128), [0x8f, 0x80]);
        assert_eq!(enc(-113), [0x87, 0x70]);
        assert_eq!(enc(255), [0x8f, 0xff]);
        assert_eq!(enc(256), [0x8e, 0x01, 0x00]);
        assert_eq!(
            enc(i64::MAX),
            [0x88, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]
        );
        assert_eq!(
            enc(i64::MIN),
            [0x80, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]
        );
        for v in [
            0,
            -1,
            127,
            128,
            -112,
            -113,
            255,
            256,
            i64::MAX,
            i64::MIN,
            1 << 40,
        ] {
            let b = enc(v);
            assert_eq!(b.len(), vlong_size(v), "{v}");
            let mut r = Reader::new(&b);
            assert_eq!(r.read_vlong("v").unwrap(), v);
            assert!(r.is_empty());
        }
    }

    #[test]
    fn truncation_and_limits_are_typed_errors() {
        let b = enc(1 << 40);
        let mut r = Reader::new(&b[..3]);
        assert!(matches!(
            r.read_vlong("x"),
            Err(WritableError::Truncated { what: "x", .. })
        ));
        assert_eq!(r.position(), 0, "a failed read does not consume");
        assert!(matches!(
            Reader::new(&[]).read_u8("x"),
            Err(WritableError::Truncated { .. })
        ));
        let big = enc(i64::from(i32::MAX) + 1);
        assert!(matches!(
            Reader::new(&big).read_vint("n"),
            Err(WritableError::IntOverflow { .. })
        ));
        let mut t = Vec::new();
        write_text(&mut t, "hello");
        assert!(matches!(
            Reader::new(&t).read_text("alias", 4),
            Err(WritableError::TooLong { len: 5, max: 4, .. })
        ));
        assert!(matches!(
            Reader::new(&t[..4]).read_text("alias", 10),
            Err(WritableError::Truncated { .. })
        ));
        assert!(matches!(
            Reader::new(&enc(-5)).read_len("len", 10),
            Err(WritableError::NegativeLength { len: -5, .. })
        ));
        assert!(matches!(
            Reader::new(&[0x02, 0xff, 0xfe]).read_text("kind", 10),
            Err(WritableError::InvalidUtf8 {
                what: "kind",
                offset: 1
            })
        ));
    }

    proptest! {
        #[test]
        fn vlong_round_trips(v in any::<i64>()) {
            let b = enc(v);
            prop_assert_eq!(b.len(), vlong_size(v));
            let mut r = Reader::new(&b);
            prop_assert_eq!(r.read_vlong("v").unwrap(), v);
            prop_assert!(r.is_empty());
        }

        #[test]
        fn vint_round_trips(v in any::<i32>()) {
            let mut b = Vec::new();
            write_vint(&mut b, v);
            prop_assert_eq!(Reader::new(&b).read_vint("v").unwrap(), v);
        }

        #[test]
        fn text_round_trips(s in ".{0,64}") {
            let mut b = Vec::new();
            write_text(&mut b, &s);
            let mut r = Reader::new(&b);
            prop_assert_eq!(r.read_text("t", 1024).unwrap(), s.as_str());
            prop_assert!(r.is_empty());
        }

        #[test]
        fn reader_never_panics(data in proptest::collection::vec(any::<u8>(), 0..32)) {
            let mut r = Reader::new(&data);
            let _ = r.read_text("t", 16);
            let _ = r.read_vint("v");
            let _ = r.read_vint_bytes("b", 8);
        }
    }
}
