//! Reading a local file the client is pointed at (a spec file, the executors' resource list),
//! bounded in size so a wrong path (a disk image, a log) is refused instead of read whole.

use std::io::Read;
use std::path::Path;

/// Reads the file at `path`, named `what` in errors (`"the spec file"`), refusing one of more
/// than `limit` bytes.
pub(crate) fn read_at_most(path: &Path, limit: u64, what: &str) -> Result<Vec<u8>, String> {
    let shown = path.display();
    let cannot = |e: std::io::Error| format!("cannot read {what} {shown}: {e}");
    let file = std::fs::File::open(path).map_err(cannot)?;
    let size = file.metadata().map_err(cannot)?.len();
    let too_large = |size: u64| {
        format!("{what} {shown} is {size} bytes, more than the {limit} bytes it may have")
    };
    if size > limit {
        return Err(too_large(size));
    }
    // The file may grow after the size was read: never read past the limit.
    let mut bytes = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > limit {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_within_the_limit_is_read_and_others_are_refused_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("list.json");
        std::fs::write(&path, b"12345").unwrap();
        assert_eq!(read_at_most(&path, 5, "the list").unwrap(), b"12345");
        let big = read_at_most(&path, 4, "the list").unwrap_err();
        assert!(
            big.starts_with("the list ") && big.contains("is 5 bytes, more than the 4 bytes"),
            "{big}"
        );
        let missing = read_at_most(&dir.path().join("none"), 5, "the list").unwrap_err();
        assert!(missing.starts_with("cannot read the list "), "{missing}");
        assert!(missing.contains("none"), "{missing}");
    }
}
