//! Hadoop's TFile (over its BCFile block layer), the container format of aggregated logs,
//! written and read without compression ("none", YARN's default for aggregated logs) and with
//! unsorted keys. The layout, from the start of the file:
//!
//! * the 16-byte BCFile magic;
//! * data blocks: records of `vint(key length) key` followed by the value as chunks
//!   (`vint(-n) n bytes` for every chunk but the last, `vint(n) n bytes` for the last);
//!   a block is closed once it holds at least the minimum block size (256 KiB here);
//! * meta block `TFile.meta`: version 1.0 (two big-endian shorts), `vlong(records)`, the
//!   comparator name as a string (empty: unsorted);
//! * meta block `TFile.index`: `vint(n)` and `n` bytes holding `vint(first key length)` and the
//!   first key (`vint(0)` when there are no records), then per data block `vint(n)` and `n` bytes
//!   holding `vint(last key length)`, the last key and `vlong(records in the block)`;
//! * meta block `BCFile.index`: the compression name, `vint(blocks)`, and per data block its
//!   region `vlong(offset) vlong(stored size) vlong(raw size)`;
//! * the meta index: `vint(n)`, then per meta block, sorted by name, `"data:" + name` and the
//!   compression name as strings, and its region;
//! * the tail: the meta index's offset (big-endian long), BCFile version 1.0, the magic again.
//!
//! Integers are Hadoop's TFile `VLong` encoding ([`write_vlong`]); strings are `vint(byte length)`
//! and UTF-8 bytes.

use std::io::{self, Read, Write};

use spindle_protocol::writable::Reader;

/// The BCFile magic, at the start and at the end of every TFile.
pub const MAGIC: [u8; 16] = [
    0xd1, 0x11, 0xd3, 0x68, 0x91, 0xb5, 0xd7, 0xb6, 0x39, 0xdf, 0x41, 0x40, 0x92, 0xba, 0xe1, 0x50,
];
/// The compression of every block.
pub const COMPRESSION_NONE: &str = "none";
/// A data block is closed once it holds this many bytes (YARN's aggregated-log writer asks 256 KiB).
pub const MIN_BLOCK_SIZE: u64 = 256 * 1024;
/// Longest key TFile accepts.
pub const MAX_KEY_SIZE: usize = 64 * 1024;
/// Size of the value chunks written.
const CHUNK_SIZE: usize = 1024 * 1024;

/// Appends Hadoop's TFile `VLong` encoding of `n`: one byte for [-32, 127], else a first byte
/// that says how many bytes follow (and carries the high bits for 2 to 4 bytes), then the
/// value's low bytes, big-endian.
pub fn write_vlong(out: &mut Vec<u8>, n: i64) {
    if (-32..128).contains(&n) {
        out.push(n as u8);
        return;
    }
    let un = if n < 0 { !n } else { n };
    // Bytes needed for the value with its sign bit, at least the two of the shortest long form.
    let mut len = ((64 - un.leading_zeros()) / 8 + 1).max(2) as usize;
    let mut first = n >> ((len - 1) * 8);
    // With 2 to 4 bytes in all, the first byte carries the value's high bits when they fit its
    // range (`first - bias`, one of a range of codes per length); else one more byte is used.
    for (total, range, bias) in [(2, 20, 52), (3, 16, 88), (4, 8, 112)] {
        if len != total {
            continue;
        }
        if (-range..range).contains(&first) {
            out.push((first - bias) as u8);
            out.extend_from_slice(&n.to_be_bytes()[9 - total..]);
            return;
        }
        if total < 4 {
            first >>= 8;
            len += 1;
        }
    }
    // Else a first byte that says how many bytes follow, then all of them.
    out.push((len as i64 - 129) as u8);
    out.extend_from_slice(&n.to_be_bytes()[8 - len..]);
}

/// Appends a TFile string: `vint(byte length)` and the UTF-8 bytes.
pub fn write_string(out: &mut Vec<u8>, s: &str) {
    write_vlong(out, s.len() as i64);
    out.extend_from_slice(s.as_bytes());
}

/// A region of the file: offset, stored size, raw size (equal without compression).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Region {
    /// Where it starts.
    pub offset: u64,
    /// How many bytes it takes.
    pub size: u64,
}

impl Region {
    fn write(&self, out: &mut Vec<u8>) {
        write_vlong(out, self.offset as i64);
        write_vlong(out, self.size as i64);
        write_vlong(out, self.size as i64);
    }
}

/// Writes a TFile record by record into `W`.
#[derive(Debug)]
pub struct TFileWriter<W: Write> {
    out: W,
    pos: u64,
    block_start: Option<u64>,
    block_records: u64,
    blocks: Vec<Region>,
    index: Vec<(Vec<u8>, u64)>,
    first_key: Option<Vec<u8>>,
    last_key: Vec<u8>,
    records: u64,
}

impl<W: Write> TFileWriter<W> {
    /// Starts a TFile (writes the magic).
    pub fn new(mut out: W) -> io::Result<Self> {
        out.write_all(&MAGIC)?;
        Ok(TFileWriter {
            out,
            pos: MAGIC.len() as u64,
            block_start: None,
            block_records: 0,
            blocks: Vec::new(),
            index: Vec::new(),
            first_key: None,
            last_key: Vec::new(),
            records: 0,
        })
    }

    fn put(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.out.write_all(bytes)?;
        self.pos += bytes.len() as u64;
        Ok(())
    }

    /// Appends a record whose value is `value`'s bytes (read to its end, written as chunks).
    pub fn append(&mut self, key: &[u8], value: &mut dyn Read) -> io::Result<()> {
        if key.len() > MAX_KEY_SIZE {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "a TFile key is at most {MAX_KEY_SIZE} bytes, not {}",
                    key.len()
                ),
            ));
        }
        if self.block_start.is_none() {
            self.block_start = Some(self.pos);
        }
        let mut head = Vec::with_capacity(key.len() + 4);
        write_vlong(&mut head, key.len() as i64);
        head.extend_from_slice(key);
        self.put(&head)?;
        if self.first_key.is_none() {
            self.first_key = Some(key.to_vec());
        }
        self.last_key = key.to_vec();
        // The value: full chunks as they fill, then the last one (possibly empty).
        let mut chunk = vec![0u8; CHUNK_SIZE];
        let mut filled = 0;
        loop {
            let n = value.read(&mut chunk[filled..])?;
            if n == 0 {
                break;
            }
            filled += n;
            if filled == CHUNK_SIZE {
                // Only a chunk known not to be the last is written with a negative length.
                let mut probe = [0u8; 1];
                let more = value.read(&mut probe)?;
                if more == 0 {
                    break;
                }
                let mut len = Vec::new();
                write_vlong(&mut len, -(CHUNK_SIZE as i64));
                self.put(&len)?;
                self.put(&chunk)?;
                chunk[0] = probe[0];
                filled = 1;
            }
        }
        let mut len = Vec::new();
        write_vlong(&mut len, filled as i64);
        self.put(&len)?;
        self.put(&chunk[..filled])?;
        self.records += 1;
        self.block_records += 1;
        if let Some(start) = self.block_start
            && self.pos - start >= MIN_BLOCK_SIZE
        {
            self.finish_block();
        }
        Ok(())
    }

    fn finish_block(&mut self) {
        if let Some(start) = self.block_start.take() {
            self.blocks.push(Region {
                offset: start,
                size: self.pos - start,
            });
            self.index
                .push((std::mem::take(&mut self.last_key), self.block_records));
            self.block_records = 0;
        }
    }

    fn meta_block(&mut self, body: &[u8]) -> io::Result<Region> {
        let region = Region {
            offset: self.pos,
            size: body.len() as u64,
        };
        self.put(body)?;
        Ok(region)
    }

    /// Writes the meta blocks, the indexes and the tail; returns the writer it wrote into.
    pub fn finish(mut self) -> io::Result<W> {
        self.finish_block();
        let mut meta = Vec::new();
        meta.extend_from_slice(&1u16.to_be_bytes());
        meta.extend_from_slice(&0u16.to_be_bytes());
        write_vlong(&mut meta, self.records as i64);
        write_string(&mut meta, "");
        let meta_region = self.meta_block(&meta)?;

        let mut index = Vec::new();
        match &self.first_key {
            None => write_vlong(&mut index, 0),
            Some(first) => {
                let mut entry = Vec::new();
                write_vlong(&mut entry, first.len() as i64);
                entry.extend_from_slice(first);
                write_vlong(&mut index, entry.len() as i64);
                index.extend_from_slice(&entry);
                for (last, count) in &self.index {
                    let mut entry = Vec::new();
                    write_vlong(&mut entry, last.len() as i64);
                    entry.extend_from_slice(last);
                    write_vlong(&mut entry, *count as i64);
                    write_vlong(&mut index, entry.len() as i64);
                    index.extend_from_slice(&entry);
                }
            }
        }
        let index_region = self.meta_block(&index)?;

        let mut bc_index = Vec::new();
        write_string(&mut bc_index, COMPRESSION_NONE);
        write_vlong(&mut bc_index, self.blocks.len() as i64);
        for b in &self.blocks {
            b.write(&mut bc_index);
        }
        let bc_region = self.meta_block(&bc_index)?;

        let meta_index_at = self.pos;
        let mut tail = Vec::new();
        // Sorted by name, as Java's TreeMap keeps them.
        let entries = [
            ("BCFile.index", bc_region),
            ("TFile.index", index_region),
            ("TFile.meta", meta_region),
        ];
        write_vlong(&mut tail, entries.len() as i64);
        for (name, region) in entries {
            write_string(&mut tail, &format!("data:{name}"));
            write_string(&mut tail, COMPRESSION_NONE);
            region.write(&mut tail);
        }
        tail.extend_from_slice(&meta_index_at.to_be_bytes());
        tail.extend_from_slice(&1u16.to_be_bytes());
        tail.extend_from_slice(&0u16.to_be_bytes());
        tail.extend_from_slice(&MAGIC);
        self.put(&tail)?;
        self.out.flush()?;
        Ok(self.out)
    }
}

/// Why a TFile could not be read.
#[derive(Debug, thiserror::Error)]
pub enum TFileError {
    /// Not a TFile, or a damaged one.
    #[error("not a valid TFile: {0}")]
    Corrupt(String),
    /// It uses compression this reader does not read.
    #[error("TFile compression '{0}' is not supported (only 'none')")]
    Compression(String),
}

fn corrupt(what: impl Into<String>) -> TFileError {
    TFileError::Corrupt(what.into())
}

/// The TFile decoders over protocol's bounded [`Reader`]: every read is bounded by the bytes
/// left.
#[derive(Debug)]
pub struct Cursor<'a>(Reader<'a>);

impl<'a> Cursor<'a> {
    /// A cursor at the start of `bytes`.
    pub fn new(bytes: &'a [u8]) -> Self {
        Cursor(Reader::new(bytes))
    }

    /// Whether every byte was read.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The next `n` bytes.
    pub fn take(&mut self, n: usize) -> Result<&'a [u8], TFileError> {
        self.0
            .read_bytes(n, "a TFile value")
            .map_err(|e| corrupt(e.to_string()))
    }

    fn byte(&mut self) -> Result<u8, TFileError> {
        Ok(self.take(1)?[0])
    }

    /// A big-endian u16.
    pub fn u16(&mut self) -> Result<u16, TFileError> {
        let b = self.take(2)?;
        Ok(u16::from_be_bytes([b[0], b[1]]))
    }

    /// A TFile `VLong`.
    pub fn vlong(&mut self) -> Result<i64, TFileError> {
        let first = self.byte()? as i8 as i64;
        if first >= -32 {
            return Ok(first);
        }
        let be = |c: &mut Self, n: usize| -> Result<u64, TFileError> {
            Ok(c.take(n)?
                .iter()
                .fold(0u64, |acc, b| (acc << 8) | u64::from(*b)))
        };
        match (first + 128) / 8 {
            7..=11 => Ok(((first + 52) << 8) | be(self, 1)? as i64),
            3..=6 => Ok(((first + 88) << 16) | be(self, 2)? as i64),
            1 | 2 => Ok(((first + 112) << 24) | be(self, 3)? as i64),
            0 => {
                let len = (first + 129) as usize;
                if !(4..=8).contains(&len) {
                    return Err(corrupt("bad VLong length"));
                }
                let raw = be(self, len)?;
                // Sign-extend from `len` bytes.
                let shift = 64 - 8 * len as u32;
                Ok(((raw << shift) as i64) >> shift)
            }
            _ => Err(corrupt("bad VLong")),
        }
    }

    /// A non-negative `VLong` that fits in `usize` and is at most `max`.
    pub fn length(&mut self, max: usize) -> Result<usize, TFileError> {
        let n = self.vlong()?;
        usize::try_from(n)
            .ok()
            .filter(|n| *n <= max)
            .ok_or_else(|| corrupt(format!("length {n} out of range (at most {max})")))
    }

    /// A TFile string.
    pub fn string(&mut self) -> Result<String, TFileError> {
        let n = self.length(64 * 1024)?;
        String::from_utf8(self.take(n)?.to_vec()).map_err(|_| corrupt("a string is not UTF-8"))
    }

    fn region(&mut self, file_len: usize) -> Result<(usize, usize), TFileError> {
        let offset = self.length(file_len)?;
        let size = self.length(file_len)?;
        let _raw = self.vlong()?;
        if offset + size > file_len {
            return Err(corrupt("a block lies outside the file"));
        }
        Ok((offset, size))
    }
}

/// A record: its key and its value.
pub type Record = (Vec<u8>, Vec<u8>);

/// The records of a TFile held in memory, in file order.
pub fn read_records(file: &[u8]) -> Result<Vec<Record>, TFileError> {
    let tail_len = 8 + 4 + MAGIC.len();
    if file.len() < MAGIC.len() + tail_len
        || file[..16] != MAGIC
        || file[file.len() - 16..] != MAGIC
    {
        return Err(corrupt("no BCFile magic"));
    }
    let mut tail = Cursor::new(&file[file.len() - tail_len..]);
    let meta_at = u64::from_be_bytes(tail.take(8)?.try_into().expect("8 bytes")) as usize;
    if tail.u16()? != 1 {
        return Err(corrupt("BCFile major version is not 1"));
    }
    if meta_at >= file.len() - tail_len {
        return Err(corrupt("the meta index lies outside the file"));
    }
    let mut meta = Cursor::new(&file[meta_at..file.len() - tail_len]);
    let count = meta.length(1024)?;
    let mut bc_index = None;
    for _ in 0..count {
        let name = meta.string()?;
        let compression = meta.string()?;
        let region = meta.region(file.len())?;
        if compression != COMPRESSION_NONE {
            return Err(TFileError::Compression(compression));
        }
        if name == "data:BCFile.index" {
            bc_index = Some(region);
        }
    }
    let (at, size) = bc_index.ok_or_else(|| corrupt("no BCFile.index"))?;
    let mut index = Cursor::new(&file[at..at + size]);
    let compression = index.string()?;
    if compression != COMPRESSION_NONE {
        return Err(TFileError::Compression(compression));
    }
    let blocks = index.length(1 << 24)?;
    let mut records = Vec::new();
    for _ in 0..blocks {
        let (at, size) = index.region(file.len())?;
        let mut block = Cursor::new(&file[at..at + size]);
        while !block.is_empty() {
            let klen = block.length(MAX_KEY_SIZE)?;
            let key = block.take(klen)?.to_vec();
            let mut value = Vec::new();
            loop {
                let n = block.vlong()?;
                let len = usize::try_from(n.unsigned_abs()).map_err(|_| corrupt("chunk length"))?;
                value.extend_from_slice(block.take(len)?);
                if n >= 0 {
                    break;
                }
            }
            records.push((key, value));
        }
    }
    Ok(records)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn vlongs_follow_hadoops_table_and_read_back() {
        let enc = |n: i64| {
            let mut v = Vec::new();
            write_vlong(&mut v, n);
            v
        };
        // Values from the ranges of Hadoop's Utils.writeVLong documentation.
        assert_eq!(enc(0), vec![0]);
        assert_eq!(enc(127), vec![127]);
        assert_eq!(enc(-32), vec![0xe0]);
        assert_eq!(enc(128), vec![(0i64 - 52) as u8, 128]);
        assert_eq!(enc(-33), vec![(-1i64 - 52) as u8, 0xdf]);
        assert_eq!(enc(5000), vec![(19i64 - 52) as u8, 0x88]);
        assert_eq!(enc(5120), vec![(0i64 - 88) as u8, 0x14, 0x00]);
        assert_eq!(enc(1 << 20), vec![(0i64 - 112) as u8, 0x10, 0x00, 0x00]);
        assert_eq!(enc(1 << 30), vec![(4i64 - 129) as u8, 0x40, 0, 0, 0]);
        assert_eq!(enc(1 << 40).len(), 7);
        for n in [
            0,
            1,
            -1,
            127,
            128,
            -32,
            -33,
            5119,
            5120,
            -5121,
            (1 << 20) - 1,
            1 << 20,
            (8 << 24) - 1,
            8 << 24,
            i32::MAX as i64,
            i32::MIN as i64,
            1 << 40,
            -(1 << 40),
            i64::MAX,
            i64::MIN,
        ] {
            let bytes = enc(n);
            let mut c = Cursor::new(&bytes);
            assert_eq!(c.vlong().unwrap(), n, "{n}: {bytes:02x?}");
            assert!(c.is_empty(), "{n}");
        }
    }

    #[test]
    fn records_round_trip_across_blocks_and_chunks() {
        let mut w = TFileWriter::new(Vec::new()).unwrap();
        let big: Vec<u8> = (0..(3 * CHUNK_SIZE + 17))
            .map(|i| (i % 251) as u8)
            .collect();
        let exact = vec![7u8; CHUNK_SIZE];
        w.append(b"VERSION", &mut &[0u8, 0, 0, 1][..]).unwrap();
        w.append(b"empty", &mut &[][..]).unwrap();
        w.append(b"big", &mut &big[..]).unwrap();
        w.append(b"exact", &mut &exact[..]).unwrap();
        w.append(b"small", &mut &b"hi"[..]).unwrap();
        let file = w.finish().unwrap();
        let records = read_records(&file).unwrap();
        let keys: Vec<&[u8]> = records.iter().map(|(k, _)| k.as_slice()).collect();
        assert_eq!(
            keys,
            vec![&b"VERSION"[..], b"empty", b"big", b"exact", b"small"]
        );
        assert_eq!(records[2].1, big);
        assert_eq!(records[3].1, exact);
        assert_eq!(records[4].1, b"hi");
        assert!(records[1].1.is_empty());
    }

    #[test]
    fn an_empty_file_and_damage_are_told_apart() {
        let empty = TFileWriter::new(Vec::new()).unwrap().finish().unwrap();
        assert!(read_records(&empty).unwrap().is_empty());
        let mut w = TFileWriter::new(Vec::new()).unwrap();
        w.append(b"k", &mut &b"v"[..]).unwrap();
        let good = w.finish().unwrap();
        for cut in [0, 10, good.len() / 2, good.len() - 1] {
            assert!(read_records(&good[..cut]).is_err(), "{cut}");
        }
        let mut flipped = good.clone();
        let at = flipped.len() - 30;
        flipped[at] ^= 0xff;
        let _ = read_records(&flipped); // any answer but a panic
        assert!(
            TFileWriter::new(Vec::new())
                .unwrap()
                .append(&vec![0u8; MAX_KEY_SIZE + 1], &mut &b""[..])
                .is_err()
        );
    }
}
