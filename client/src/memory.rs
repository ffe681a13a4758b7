//! Memory sizes as people write them (`8g`, `8192m`, `8192`), always read as MB: the command
//! line's flags and the spec file's values.

/// Why a memory size could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MemorySizeError {
    /// Nothing was given.
    #[error(
        "the memory size is empty: give a number of MB (4096) or a number with m or g (4096m, 4g)"
    )]
    Empty,
    /// The text is not a whole number with an optional unit.
    #[error(
        "'{0}' is not a memory size: give a whole number of MB (4096) or a whole number with m or g (4096m, 4g)"
    )]
    Malformed(String),
    /// The unit is not one we know.
    #[error(
        "'{text}' has an unknown unit '{unit}': use m (MB), g (GB) or t (TB), or no unit for MB"
    )]
    UnknownUnit {
        /// The whole text.
        text: String,
        /// The unit given.
        unit: String,
    },
    /// Zero MB.
    #[error("'{0}' is zero: give some memory (for example 4g)")]
    Zero(String),
    /// More MB than fits the cluster's counters.
    #[error("'{0}' is too large")]
    TooLarge(String),
}

/// Reads a memory size and returns it in MB (1 GB = 1024 MB). Accepted: a whole number
/// (MB), or a whole number followed by `m`/`mb`, `g`/`gb` or `t`/`tb`, in any case, with
/// optional blanks between number and unit. Zero is refused.
pub fn parse_memory_mb(text: &str) -> Result<i64, MemorySizeError> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(MemorySizeError::Empty);
    }
    let digits_end = trimmed
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(trimmed.len());
    let (number, unit) = trimmed.split_at(digits_end);
    if number.is_empty() {
        return Err(MemorySizeError::Malformed(text.to_string()));
    }
    let unit = unit.trim_start().to_ascii_lowercase();
    let factor: i64 = match unit.as_str() {
        "" | "m" | "mb" => 1,
        "g" | "gb" => 1024,
        "t" | "tb" => 1024 * 1024,
        _ if unit.chars().all(|c| c.is_ascii_alphabetic()) => {
            return Err(MemorySizeError::UnknownUnit {
                text: text.to_string(),
                unit,
            });
        }
        _ => return Err(MemorySizeError::Malformed(text.to_string())),
    };
    let value: i64 = number
        .parse()
        .map_err(|_| MemorySizeError::TooLarge(text.to_string()))?;
    // Resource counters are i64 in YARN, but keep clear of overflow in sums over nodes.
    let mb = value
        .checked_mul(factor)
        .filter(|mb| *mb <= i64::from(i32::MAX))
        .ok_or_else(|| MemorySizeError::TooLarge(text.to_string()))?;
    if mb == 0 {
        return Err(MemorySizeError::Zero(text.to_string()));
    }
    Ok(mb)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_convert_to_mb() {
        for (text, mb) in [
            ("8192", 8192),
            ("8192m", 8192),
            ("8192MB", 8192),
            ("8g", 8192),
            ("8G", 8192),
            (" 2 gb ", 2048),
            ("1t", 1024 * 1024),
        ] {
            assert_eq!(parse_memory_mb(text), Ok(mb), "{text:?}");
        }
    }

    #[test]
    fn garbage_is_refused_with_a_reason() {
        use MemorySizeError::*;
        let unknown = |text: &str, unit: &str| UnknownUnit {
            text: text.into(),
            unit: unit.into(),
        };
        for (text, error) in [
            ("", Empty),
            ("  ", Empty),
            ("lots", Malformed("lots".into())),
            ("-4g", Malformed("-4g".into())),
            ("1.5g", Malformed("1.5g".into())),
            ("4k", unknown("4k", "k")),
            ("4gib", unknown("4gib", "gib")),
            ("0g", Zero("0g".into())),
            (
                "99999999999999999999",
                TooLarge("99999999999999999999".into()),
            ),
            ("3000000g", TooLarge("3000000g".into())),
        ] {
            assert_eq!(parse_memory_mb(text), Err(error), "{text:?}");
        }
        let msg = parse_memory_mb("lots").unwrap_err().to_string();
        assert!(msg.contains("'lots'") && msg.contains("4g"), "{msg}");
    }
}
