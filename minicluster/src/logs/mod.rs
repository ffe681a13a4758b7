//! Log aggregation as YARN's NodeManager does it with its default (TFile) file controller: when
//! an application ends, each node writes the logs of the application's containers it ran into
//! one file, `<remote-app-log-dir>/<user>/bucket-logs-tfile/<bucket>/<application id>/<host>_<port>`
//! (`<bucket>` is the application number modulo 10000, four digits), in Hadoop's
//! `AggregatedLogFormat`, so that Hadoop's `LogsCLI` (`yarn logs`) and other YARN tools read it.
//!
//! The file is a [`tfile`] whose records are, in order:
//! * `VERSION` → the format version 1 (a big-endian int);
//! * `APPLICATION_ACL` → pairs of strings (access type, ACL), none here;
//! * `APPLICATION_OWNER` → the user;
//! * one record per container, keyed by its id, whose value is, per log file (sorted by name):
//!   the file name, its length in decimal, then its bytes.
//!
//! Keys and strings in values are Java `DataOutput.writeUTF` strings: a big-endian u16 byte
//! length and modified UTF-8.

pub mod tfile;

use std::fs::File;
use std::io::{self, BufWriter, Read};
use std::path::{Path, PathBuf};

use spindle_protocol::ids::{ApplicationId, NodeId};

use tfile::{Cursor, TFileError, TFileWriter};

/// The aggregated-log format version.
pub const FORMAT_VERSION: i32 = 1;
/// The suffix folder of the TFile file controller (`<remote-app-log-dir-suffix>-tfile`).
pub const TFILE_SUFFIX: &str = "logs-tfile";
/// Most bytes of one log file that are aggregated (YARN aggregates whole files; this bounds a
/// runaway log).
pub const MAX_FILE_BYTES: u64 = 1 << 32;

/// `s` as Java's `DataOutput.writeUTF` writes it; `None` if longer than 65535 encoded bytes.
pub fn java_utf(s: &str) -> Option<Vec<u8>> {
    let mut body = Vec::with_capacity(s.len());
    for unit in s.encode_utf16() {
        match unit {
            0x0001..=0x007f => body.push(unit as u8),
            0x0000 | 0x0080..=0x07ff => {
                body.push(0xc0 | (unit >> 6) as u8);
                body.push(0x80 | (unit & 0x3f) as u8);
            }
            _ => {
                body.push(0xe0 | (unit >> 12) as u8);
                body.push(0x80 | ((unit >> 6) & 0x3f) as u8);
                body.push(0x80 | (unit & 0x3f) as u8);
            }
        }
    }
    let len = u16::try_from(body.len()).ok()?;
    let mut out = len.to_be_bytes().to_vec();
    out.extend_from_slice(&body);
    Some(out)
}

/// Reads one `writeUTF` string (ASCII and two- and three-byte forms; surrogate pairs are
/// recombined).
pub fn read_java_utf(c: &mut Cursor<'_>) -> Result<String, TFileError> {
    let len = c.u16()? as usize;
    let bytes = c.take(len)?;
    let mut units = Vec::with_capacity(len);
    let mut i = 0;
    let bad = || TFileError::Corrupt("bad modified UTF-8".into());
    while i < bytes.len() {
        let b = bytes[i];
        let (unit, n) = if b < 0x80 {
            (u16::from(b), 1)
        } else if b & 0xe0 == 0xc0 {
            let b2 = *bytes.get(i + 1).ok_or_else(bad)?;
            ((u16::from(b & 0x1f) << 6) | u16::from(b2 & 0x3f), 2)
        } else if b & 0xf0 == 0xe0 {
            let b2 = *bytes.get(i + 1).ok_or_else(bad)?;
            let b3 = *bytes.get(i + 2).ok_or_else(bad)?;
            (
                (u16::from(b & 0x0f) << 12) | (u16::from(b2 & 0x3f) << 6) | u16::from(b3 & 0x3f),
                3,
            )
        } else {
            return Err(bad());
        };
        units.push(unit);
        i += n;
    }
    String::from_utf16(&units).map_err(|_| bad())
}

/// The folder of `app`'s aggregated logs: `<root>/<user>/bucket-logs-tfile/<bucket>/<app>`.
pub fn remote_app_dir(root: &Path, user: &str, app: &ApplicationId) -> PathBuf {
    root.join(user)
        .join(format!("bucket-{TFILE_SUFFIX}"))
        .join(format!("{:04}", app.id.rem_euclid(10_000)))
        .join(app.to_string())
}

/// The file name of a node's aggregated logs: its id with `:` replaced by `_`.
pub fn node_file_name(node: &NodeId) -> String {
    node.to_string().replace(':', "_")
}

/// One container's log files (name, path), sorted by name: the plain files directly in its log
/// folder.
pub fn container_log_files(dir: &Path) -> Vec<(String, PathBuf)> {
    let mut files: Vec<(String, PathBuf)> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| Some((e.file_name().into_string().ok()?, e.path())))
        .collect();
    files.sort();
    files
}

/// A reader over one container's files in the aggregated value layout.
struct ContainerValue {
    parts: Vec<Box<dyn Read + Send>>,
    current: usize,
}

impl ContainerValue {
    fn new(files: &[(String, PathBuf)]) -> io::Result<Self> {
        let mut parts: Vec<Box<dyn Read + Send>> = Vec::new();
        for (name, path) in files {
            let Ok(file) = File::open(path) else {
                continue;
            };
            let len = file.metadata()?.len().min(MAX_FILE_BYTES);
            let (Some(n), Some(l)) = (java_utf(name), java_utf(&len.to_string())) else {
                continue;
            };
            let mut head = n;
            head.extend_from_slice(&l);
            parts.push(Box::new(io::Cursor::new(head)));
            // Exactly `len` bytes, padded should the file have shrunk since it was measured.
            parts.push(Box::new(file.chain(io::repeat(b'\n')).take(len)));
        }
        Ok(ContainerValue { parts, current: 0 })
    }
}

impl Read for ContainerValue {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.current < self.parts.len() {
            let n = self.parts[self.current].read(buf)?;
            if n > 0 {
                return Ok(n);
            }
            self.current += 1;
        }
        Ok(0)
    }
}

/// Aggregates the logs of `app` found under `log_dir/<app>/<container>/` into `node`'s file in
/// the remote folder (written beside it as `.tmp`, then renamed, as YARN does). Returns the
/// file, or `None` when the node has no logs of the application (then nothing is written).
pub fn aggregate_app(
    log_dir: &Path,
    app: &ApplicationId,
    node: &NodeId,
    user: &str,
    remote_root: &Path,
) -> io::Result<Option<PathBuf>> {
    let app_dir = log_dir.join(app.to_string());
    let mut containers: Vec<(String, PathBuf)> = std::fs::read_dir(&app_dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|e| Some((e.file_name().into_string().ok()?, e.path())))
        .filter(|(name, _)| name.parse::<spindle_protocol::ids::ContainerId>().is_ok())
        .collect();
    containers.sort();
    if containers.is_empty() {
        return Ok(None);
    }
    let dir = remote_app_dir(remote_root, user, app);
    std::fs::create_dir_all(&dir)?;
    let target = dir.join(node_file_name(node));
    let tmp = dir.join(format!("{}.tmp", node_file_name(node)));
    let invalid = |what: &str| io::Error::new(io::ErrorKind::InvalidInput, what.to_string());
    let write = || -> io::Result<()> {
        let mut w = TFileWriter::new(BufWriter::new(File::create(&tmp)?))?;
        let key = |k: &str| java_utf(k).ok_or_else(|| invalid("key too long"));
        w.append(&key("VERSION")?, &mut &FORMAT_VERSION.to_be_bytes()[..])?;
        w.append(&key("APPLICATION_ACL")?, &mut &[][..])?;
        let owner = java_utf(user).ok_or_else(|| invalid("user name too long"))?;
        w.append(&key("APPLICATION_OWNER")?, &mut &owner[..])?;
        for (id, dir) in &containers {
            let files = container_log_files(dir);
            if files.is_empty() {
                continue;
            }
            w.append(&key(id)?, &mut ContainerValue::new(&files)?)?;
        }
        w.finish()?
            .into_inner()
            .map_err(|e| e.into_error())?
            .sync_all()
    };
    match write() {
        Ok(()) => {
            std::fs::rename(&tmp, &target)?;
            Ok(Some(target))
        }
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e)
        }
    }
}

/// One log file: its name and its bytes.
pub type LogFile = (String, Vec<u8>);

/// What an aggregated-log file holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AggregatedLogs {
    /// The application's owner.
    pub owner: String,
    /// Per container (in file order): its id and its files.
    pub containers: Vec<(String, Vec<LogFile>)>,
}

/// Reads an aggregated-log file (held in memory).
pub fn read_aggregated(file: &[u8]) -> Result<AggregatedLogs, TFileError> {
    let mut out = AggregatedLogs::default();
    for (key, value) in tfile::read_records(file)? {
        let key = read_java_utf(&mut Cursor::new(&key))?;
        let mut v = Cursor::new(&value);
        match key.as_str() {
            "VERSION" | "APPLICATION_ACL" => {}
            "APPLICATION_OWNER" => out.owner = read_java_utf(&mut v)?,
            container => {
                let mut files = Vec::new();
                while !v.is_empty() {
                    let name = read_java_utf(&mut v)?;
                    let len: usize = read_java_utf(&mut v)?
                        .parse()
                        .map_err(|_| TFileError::Corrupt("a log length is not a number".into()))?;
                    files.push((name, v.take(len)?.to_vec()));
                }
                out.containers.push((container.to_string(), files));
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn java_utf_matches_data_output() {
        assert_eq!(java_utf("ab").unwrap(), vec![0, 2, b'a', b'b']);
        assert_eq!(java_utf("\0").unwrap(), vec![0, 2, 0xc0, 0x80]);
        assert_eq!(java_utf("é").unwrap(), vec![0, 2, 0xc3, 0xa9]);
        // A character outside the BMP is a surrogate pair of three bytes each.
        assert_eq!(java_utf("😀").unwrap().len(), 2 + 6);
        assert!(java_utf(&"x".repeat(70_000)).is_none());
        for s in ["", "container_1_0001_01_000001", "\0é😀ü"] {
            let b = java_utf(s).unwrap();
            assert_eq!(read_java_utf(&mut Cursor::new(&b)).unwrap(), s);
        }
    }

    #[test]
    fn paths_follow_the_tfile_controller() {
        let app = ApplicationId::new(1_700_000_000_000, 12_345);
        assert_eq!(
            remote_app_dir(Path::new("/r"), "bob", &app),
            PathBuf::from("/r/bob/bucket-logs-tfile/2345/application_1700000000000_12345")
        );
        let one = ApplicationId::new(17, 1);
        assert!(remote_app_dir(Path::new("/r"), "u", &one).ends_with("0001/application_17_0001"));
        assert_eq!(
            node_file_name(&NodeId::new("127.0.0.1", 4545)),
            "127.0.0.1_4545"
        );
    }

    #[test]
    fn a_nodes_logs_aggregate_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let logs = dir.path().join("logs");
        let app = ApplicationId::new(17, 3);
        let c1 = "container_17_0003_01_000001".to_string();
        let c2 = "container_17_0003_01_000002".to_string();
        for (c, files) in [
            (&c1, vec![("stdout", "hello\n"), ("stderr", "")]),
            (&c2, vec![("stdout", "two\n"), ("gc.log", "gc")]),
        ] {
            let d = logs.join(app.to_string()).join(c);
            std::fs::create_dir_all(&d).unwrap();
            for (name, text) in files {
                std::fs::write(d.join(name), text).unwrap();
            }
        }
        std::fs::create_dir_all(logs.join(app.to_string()).join("not-a-container")).unwrap();
        let node = NodeId::new("127.0.0.1", 4545);
        let remote = dir.path().join("remote");
        let file = aggregate_app(&logs, &app, &node, "bob", &remote)
            .unwrap()
            .expect("a file");
        assert_eq!(file.file_name().unwrap(), "127.0.0.1_4545");
        let read = read_aggregated(&std::fs::read(&file).unwrap()).unwrap();
        assert_eq!(read.owner, "bob");
        assert_eq!(read.containers.len(), 2);
        assert_eq!(read.containers[0].0, c1);
        assert_eq!(
            read.containers[0].1,
            vec![
                ("stderr".to_string(), Vec::new()),
                ("stdout".to_string(), b"hello\n".to_vec())
            ]
        );
        assert_eq!(
            read.containers[1].1[0],
            ("gc.log".to_string(), b"gc".to_vec())
        );
        // A node without logs of the application writes nothing.
        let other = ApplicationId::new(17, 4);
        assert!(
            aggregate_app(&logs, &other, &node, "bob", &remote)
                .unwrap()
                .is_none()
        );
    }
}
