//! Times as YARN writes them: ISO 8601 with milliseconds and a numeric zone
//! (`yyyy-MM-dd'T'HH:mm:ss.SSSZ`, e.g. `2026-12-04T10:15:30.250+0000`), the format of application
//! timeouts on the wire and in the REST API; and a readable form for the web UI.

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date (year, month, day) of a day count since 1970-01-01.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Splits milliseconds since the epoch (UTC) into date and time fields.
fn fields(ms: i64) -> (i64, u32, u32, i64, i64, i64, i64) {
    let days = ms.div_euclid(86_400_000);
    let in_day = ms.rem_euclid(86_400_000);
    let (y, mo, d) = civil_from_days(days);
    (
        y,
        mo,
        d,
        in_day / 3_600_000,
        in_day / 60_000 % 60,
        in_day / 1000 % 60,
        in_day % 1000,
    )
}

/// `ms` since the epoch as YARN's ISO 8601 form, in UTC: `2026-12-04T10:15:30.250+0000`.
pub fn format_iso8601(ms: i64) -> String {
    let (y, mo, d, h, mi, s, milli) = fields(ms);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{milli:03}+0000")
}

/// `ms` since the epoch as the web UI shows it: `2026-12-04 10:15:30 UTC` (`N/A` for 0 or less).
pub fn format_readable(ms: i64) -> String {
    if ms <= 0 {
        return "N/A".into();
    }
    let (y, mo, d, h, mi, s, _) = fields(ms);
    format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02} UTC")
}

fn number(text: &str, len: usize) -> Option<i64> {
    if text.len() != len || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// `text` as exactly three `sep`-separated numbers of `widths` digits (`2026-12-04`, `10:15:30`).
fn three_numbers(text: &str, sep: char, widths: [usize; 3]) -> Option<[i64; 3]> {
    let mut parts = text.split(sep);
    let mut out = [0; 3];
    for (n, width) in out.iter_mut().zip(widths) {
        *n = number(parts.next()?, width)?;
    }
    parts.next().is_none().then_some(out)
}

/// Parses YARN's ISO 8601 form (`yyyy-MM-dd'T'HH:mm:ss.SSSZ`; the zone `±HHMM`, `±HH:MM` or `Z`,
/// the milliseconds optional) into milliseconds since the epoch; `None` when it is not that
/// form or names an impossible date.
pub fn parse_iso8601(text: &str) -> Option<i64> {
    let text = text.trim();
    let (date, rest) = text.split_once('T')?;
    let [year, month, day] = three_numbers(date, '-', [4, 2, 2])?;
    let zone_at = rest.find(['+', '-', 'Z'])?;
    let (clock, zone) = rest.split_at(zone_at);
    let (hms, millis) = match clock.split_once('.') {
        Some((hms, frac)) if !frac.is_empty() && frac.len() <= 3 => {
            let f: i64 = number(frac, frac.len())?;
            (hms, f * 10_i64.pow(3 - frac.len() as u32))
        }
        Some(_) => return None,
        None => (clock, 0),
    };
    let [h, mi, s] = three_numbers(hms, ':', [2, 2, 2])?;
    let offset_min = if zone == "Z" {
        0
    } else {
        let sign = if zone.starts_with('-') { -1 } else { 1 };
        let digits: String = zone[1..].chars().filter(|c| *c != ':').collect();
        let zh = number(digits.get(..2)?, 2)?;
        let zm = number(digits.get(2..)?, 2)?;
        if zh > 23 || zm > 59 {
            return None;
        }
        sign * (zh * 60 + zm)
    };
    let valid_day = |y: i64, m: i64| -> i64 {
        match m {
            2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        }
    };
    if !(1..=12).contains(&month)
        || day < 1
        || day > valid_day(year, month)
        || h > 23
        || mi > 59
        || s > 59
    {
        return None;
    }
    let days = days_from_civil(year, month as u32, day as u32);
    Some(((days * 24 + h) * 60 + mi - offset_min) * 60_000 + s * 1000 + millis)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_known_values() {
        assert_eq!(format_iso8601(0), "1970-01-01T00:00:00.000+0000");
        assert_eq!(
            format_iso8601(1_700_000_000_123),
            "2023-11-14T22:13:20.123+0000"
        );
        for ms in [0, 951_782_400_000, 1_700_000_000_123, 4_102_444_799_999] {
            assert_eq!(parse_iso8601(&format_iso8601(ms)), Some(ms), "{ms}");
        }
        // Another zone, no milliseconds, `Z`.
        assert_eq!(
            parse_iso8601("2023-11-15T03:43:20.123+0530"),
            Some(1_700_000_000_123)
        );
        assert_eq!(
            parse_iso8601("2023-11-14T17:13:20-05:00"),
            Some(1_700_000_000_000)
        );
        assert_eq!(
            parse_iso8601("2023-11-14T22:13:20Z"),
            Some(1_700_000_000_000)
        );
        assert_eq!(
            format_readable(1_700_000_000_123),
            "2023-11-14 22:13:20 UTC"
        );
        assert_eq!(format_readable(0), "N/A");
    }

    #[test]
    fn refuses_what_is_not_the_format() {
        for bad in [
            "",
            "tomorrow",
            "2023-11-14",
            "2023-11-14T22:13:20",
            "2023-13-01T00:00:00.000+0000",
            "2023-02-29T00:00:00.000+0000",
            "2023-11-14T24:00:00.000+0000",
            "2023-11-14T22:13:20.1234+0000",
            "2023-11-14T22:13:20.000+9999",
            "99999-11-14T22:13:20.000+0000",
        ] {
            assert_eq!(parse_iso8601(bad), None, "{bad}");
        }
        assert!(parse_iso8601("2024-02-29T00:00:00.000+0000").is_some());
    }
}
