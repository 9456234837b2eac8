//! Durations as a person writes them in the policy file: `"30m"`, `"1h"`, `"2h30m"`, `"1d"`.

/// Parses a duration such as `"30m"`, `"1h"`, `"2h30m"`, `"1d"` or `"90s"` into
/// milliseconds: numbers each followed by a unit (`d` = 24 hours, `h`, `m`, `s`), largest
/// unit first, each unit at most once, spaces between the parts allowed. Zero is refused.
/// The error is a sentence for a person.
pub fn parse_duration_millis(text: &str) -> Result<i64, String> {
    let bad = || {
        format!(
            "\"{text}\" is not a duration: write a number and a unit (d, h, m or s), largest unit first, e.g. \"30m\", \"1h\", \"2h30m\" or \"1d\""
        )
    };
    const UNITS: [(char, i64); 4] = [
        ('d', 86_400_000),
        ('h', 3_600_000),
        ('m', 60_000),
        ('s', 1_000),
    ];
    let mut rest = text.trim();
    if rest.is_empty() {
        return Err(bad());
    }
    let mut total: i64 = 0;
    let mut next_unit = 0; // index into UNITS of the largest unit still allowed
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return Err(bad());
        }
        let number: i64 = rest[..digits].parse().map_err(|_| bad())?;
        rest = &rest[digits..];
        let unit = rest.chars().next().ok_or_else(bad)?;
        let index = UNITS[next_unit..]
            .iter()
            .position(|(u, _)| *u == unit)
            .ok_or_else(bad)?
            + next_unit;
        next_unit = index + 1;
        rest = rest[unit.len_utf8()..].trim_start();
        let part = number.checked_mul(UNITS[index].1).ok_or_else(bad)?;
        total = total.checked_add(part).ok_or_else(bad)?;
        if next_unit == UNITS.len() && !rest.is_empty() {
            return Err(bad());
        }
    }
    if total == 0 {
        return Err(format!(
            "\"{text}\" is zero: a response target must be longer than that"
        ));
    }
    Ok(total)
}

/// Writes milliseconds the way [`parse_duration_millis`] reads them, e.g. `2h30m`; `0s`
/// for zero or less. Milliseconds below a second are dropped.
pub fn format_duration_millis(millis: i64) -> String {
    if millis < 1_000 {
        return "0s".to_owned();
    }
    let mut rest = millis / 1_000;
    let mut out = String::new();
    for (unit, secs) in [('d', 86_400), ('h', 3_600), ('m', 60), ('s', 1)] {
        if rest >= secs {
            out.push_str(&format!("{}{unit}", rest / secs));
            rest %= secs;
        }
    }
    out
}
