//! Durations and numbers in words a learner reads at a glance.

/// `12 ms`, `1.00 s`, `42.5 s`, `3.3 minutes`, `3.3 hours`.
pub fn duration(ms: f64) -> String {
    let ms = if ms.is_finite() { ms.max(0.0) } else { 0.0 };
    if ms < 1000.0 {
        format!("{ms:.0} ms")
    } else if ms < 10_000.0 {
        format!("{:.2} s", ms / 1000.0)
    } else if ms < 90_000.0 {
        format!("{:.1} s", ms / 1000.0)
    } else if ms < 120.0 * 60_000.0 {
        format!("{:.1} minutes", ms / 60_000.0)
    } else if ms < 48.0 * 3_600_000.0 {
        format!("{:.1} hours", ms / 3_600_000.0)
    } else {
        format!("{:.1} days", ms / 86_400_000.0)
    }
}

/// A signed difference: `+3 ms`, `-120 ms`, `+1.20 s`.
pub fn difference(ms: f64) -> String {
    let sign = if ms < 0.0 { "-" } else { "+" };
    format!("{sign}{}", duration(ms.abs()))
}

/// Seconds without trailing zeros: `30`, `0.5`, `1.25`.
pub fn seconds(ms: f64) -> String {
    let s = format!("{:.3}", ms / 1000.0);
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// A time stamp on a run's axis: `0.000 s`, `1.002 s`.
pub fn stamp(ms: f64) -> String {
    format!("{:.3} s", ms.max(0.0) / 1000.0)
}

/// `4,000`.
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_pick_a_readable_unit() {
        assert_eq!(duration(12.4), "12 ms");
        assert_eq!(duration(1000.0), "1.00 s");
        assert_eq!(duration(42_500.0), "42.5 s");
        assert_eq!(duration(12_000_000.0), "3.3 hours");
        assert_eq!(duration(6_000_000.0), "100.0 minutes");
        assert_eq!(duration(7_200_000.0), "2.0 hours");
        assert_eq!(duration(300_000.0), "5.0 minutes");
        assert_eq!(duration(f64::NAN), "0 ms");
    }

    #[test]
    fn differences_carry_a_sign() {
        assert_eq!(difference(3.0), "+3 ms");
        assert_eq!(difference(-1200.0), "-1.20 s");
    }

    #[test]
    fn counts_group_thousands() {
        assert_eq!(count(4000), "4,000");
        assert_eq!(count(1_000_000), "1,000,000");
        assert_eq!(count(12), "12");
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(153_600), "153,600");
        assert_eq!(count(1_234_567), "1,234,567");
    }
}
