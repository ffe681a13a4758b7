//! Unpacking ARCHIVE and PATTERN resources: zip (and jar), tar.gz/tgz and tar, recognised by their
//! first bytes rather than their names. Entries must stay inside the target folder and the total
//! unpacked size is bounded.

use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::{Component, Path, PathBuf};

use regex::Regex;

use super::error::LocalizeError;

/// The archive formats the runner unpacks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArchiveFormat {
    /// A zip file (also jar).
    Zip,
    /// A gzip-compressed tar file.
    TarGz,
    /// An uncompressed tar file.
    Tar,
}

/// Recognises the format from the file's first bytes.
pub fn detect(head: &[u8]) -> Option<ArchiveFormat> {
    if head.len() >= 4 && &head[..2] == b"PK" && matches!(&head[2..4], [3, 4] | [5, 6] | [7, 8]) {
        Some(ArchiveFormat::Zip)
    } else if head.len() >= 2 && head[0] == 0x1f && head[1] == 0x8b {
        Some(ArchiveFormat::TarGz)
    } else if head.len() >= 262 && &head[257..262] == b"ustar" {
        Some(ArchiveFormat::Tar)
    } else {
        None
    }
}

/// Unpacks `source` into the (existing, empty) folder `dst`. With a `pattern`, only zip entries whose
/// whole name matches are unpacked (PATTERN resources). At most `max_bytes` are written.
pub fn unpack(
    source: &Path,
    dst: &Path,
    pattern: Option<&Regex>,
    max_bytes: u64,
) -> Result<(), LocalizeError> {
    let bad = |reason: String| LocalizeError::BadArchive {
        path: source.to_path_buf(),
        reason,
    };
    let io = |error: std::io::Error| LocalizeError::Io {
        path: source.to_path_buf(),
        error,
    };
    let mut file = File::open(source).map_err(|error| LocalizeError::Missing {
        path: source.to_path_buf(),
        error,
    })?;
    let mut head = Vec::with_capacity(512);
    (&mut file).take(512).read_to_end(&mut head).map_err(io)?;
    file.seek(SeekFrom::Start(0)).map_err(io)?;
    let format = detect(&head).ok_or_else(|| {
        bad("it is not a zip, tar.gz or tar archive (unrecognised first bytes)".into())
    })?;
    match format {
        ArchiveFormat::Zip => unpack_zip(file, dst, pattern, max_bytes).map_err(bad),
        ArchiveFormat::TarGz => {
            let gz = flate2::read::GzDecoder::new(BufReader::new(file));
            unpack_tar(gz, dst, max_bytes).map_err(bad)
        }
        ArchiveFormat::Tar => unpack_tar(BufReader::new(file), dst, max_bytes).map_err(bad),
    }
}

fn unpack_zip(
    file: File,
    dst: &Path,
    pattern: Option<&Regex>,
    max_bytes: u64,
) -> Result<(), String> {
    let mut archive =
        zip::ZipArchive::new(BufReader::new(file)).map_err(|e| format!("bad zip: {e}"))?;
    let mut written = 0u64;
    for i in 0..archive.len() {
        let mut entry = archive
            .by_index(i)
            .map_err(|e| format!("bad zip entry #{i}: {e}"))?;
        let name = entry
            .name()
            .map_err(|e| format!("bad zip entry name #{i}: {e}"))?
            .into_owned();
        if let Some(re) = pattern
            && !re.is_match(&name)
        {
            continue;
        }
        let rel = entry
            .enclosed_name()
            .ok_or_else(|| format!("entry {name:?} would be written outside the target folder"))?;
        let target = dst.join(&rel);
        if entry.is_dir() {
            std::fs::create_dir_all(&target).map_err(|e| format!("{}: {e}", target.display()))?;
            continue;
        }
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        if entry.is_symlink() {
            let mut link = String::new();
            (&mut entry)
                .take(4096)
                .read_to_string(&mut link)
                .map_err(|e| format!("entry {name:?}: {e}"))?;
            if !link_stays_inside(&rel, Path::new(&link)) {
                return Err(format!(
                    "symlink entry {name:?} points outside the archive ({link:?})"
                ));
            }
            std::os::unix::fs::symlink(&link, &target)
                .map_err(|e| format!("{}: {e}", target.display()))?;
            continue;
        }
        let mut out = File::create(&target).map_err(|e| format!("{}: {e}", target.display()))?;
        let copied = std::io::copy(&mut (&mut entry).take(max_bytes - written + 1), &mut out)
            .map_err(|e| format!("entry {name:?}: {e}"))?;
        written += copied;
        if written > max_bytes {
            return Err(format!("it unpacks to more than {max_bytes} bytes"));
        }
        if let Some(mode) = entry.unix_mode() {
            use std::os::unix::fs::PermissionsExt;
            let perm = std::fs::Permissions::from_mode(mode & 0o777 | 0o600);
            std::fs::set_permissions(&target, perm)
                .map_err(|e| format!("{}: {e}", target.display()))?;
        }
    }
    Ok(())
}

fn unpack_tar<R: Read>(reader: R, dst: &Path, max_bytes: u64) -> Result<(), String> {
    let mut archive = tar::Archive::new(reader);
    archive.set_preserve_permissions(true);
    archive.set_overwrite(true);
    let mut declared = 0u64;
    let entries = archive.entries().map_err(|e| format!("bad tar: {e}"))?;
    for entry in entries {
        let mut entry = entry.map_err(|e| format!("bad tar entry: {e}"))?;
        let name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        declared += entry
            .header()
            .size()
            .map_err(|e| format!("entry {name:?}: {e}"))?;
        if declared > max_bytes {
            return Err(format!("it unpacks to more than {max_bytes} bytes"));
        }
        let inside = entry
            .unpack_in(dst)
            .map_err(|e| format!("entry {name:?}: {e}"))?;
        if !inside {
            return Err(format!(
                "entry {name:?} would be written outside the target folder"
            ));
        }
    }
    Ok(())
}

/// Whether a symlink stored at `entry` (relative to the archive root) with target `link` resolves
/// inside the archive root.
fn link_stays_inside(entry: &Path, link: &Path) -> bool {
    if link.is_absolute() {
        return false;
    }
    let mut depth: i64 = entry.components().count() as i64 - 1;
    for part in link.components() {
        match part {
            Component::ParentDir => depth -= 1,
            Component::Normal(_) => depth += 1,
            Component::CurDir => {}
            _ => return false,
        }
        if depth < 0 {
            return false;
        }
    }
    true
}

/// The name a source file is stored under in the cache (its last path component).
pub fn file_name(source: &Path) -> PathBuf {
    source
        .file_name()
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("resource"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_recognised_by_content() {
        assert_eq!(detect(b"PK\x03\x04rest"), Some(ArchiveFormat::Zip));
        assert_eq!(detect(b"PK\x05\x06"), Some(ArchiveFormat::Zip));
        assert_eq!(detect(&[0x1f, 0x8b, 8, 0]), Some(ArchiveFormat::TarGz));
        let mut tar = vec![0u8; 512];
        tar[257..262].copy_from_slice(b"ustar");
        assert_eq!(detect(&tar), Some(ArchiveFormat::Tar));
        assert_eq!(detect(b"hello world"), None);
        assert_eq!(detect(b""), None);
    }

    #[test]
    fn symlink_targets_are_confined() {
        assert!(link_stays_inside(Path::new("a/b"), Path::new("c")));
        assert!(link_stays_inside(Path::new("a/b"), Path::new("../c")));
        assert!(!link_stays_inside(Path::new("a/b"), Path::new("../../c")));
        assert!(!link_stays_inside(Path::new("b"), Path::new("/etc/passwd")));
    }
}
