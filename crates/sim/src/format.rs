//! Durations and numbers in words a learner reads at a glance.

/// `12 ms`, `1.00 s`, `42.5 s`, `3.3 minutes`, `3.3 hours`.
pub fn duration(ms: f64) -> String {
    let ms = if ms.is_finite() { ms.max(0.0) } else { 0.0 };
    if ms < 1000.0 {
        format!("{} ms", fixed(ms, 0))
    } else if ms < 10_000.0 {
        format!("{} s", fixed(ms / 1000.0, 2))
    } else if ms < 90_000.0 {
        format!("{} s", fixed(ms / 1000.0, 1))
    } else if ms < 120.0 * 60_000.0 {
        format!("{} minutes", fixed(ms / 60_000.0, 1))
    } else if ms < 48.0 * 3_600_000.0 {
        format!("{} hours", fixed(ms / 3_600_000.0, 1))
    } else {
        format!("{} days", fixed(ms / 86_400_000.0, 1))
    }
}

/// A signed difference: `+3 ms`, `-120 ms`, `+1.20 s`.
pub fn difference(ms: f64) -> String {
    let sign = if ms < 0.0 { "-" } else { "+" };
    format!("{sign}{}", duration(ms.abs()))
}

/// Seconds without trailing zeros: `30`, `0.5`, `1.25`.
pub fn seconds(ms: f64) -> String {
    let s = fixed(ms / 1000.0, 3);
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// A time stamp on a run's axis: `0.000 s`, `1.002 s`.
pub fn stamp(ms: f64) -> String {
    format!("{} s", fixed(ms.max(0.0) / 1000.0, 3))
}

/// `x` with `decimals` digits after the point, as `format!("{x:.decimals$}")` writes it: the
/// exact binary value rounded half to even, `-` for negative numbers (negative zero too), `NaN`,
/// `inf`. Small code in place of core's float formatting, which the page's download then
/// leaves out. At most 9 decimals.
pub fn fixed(x: f64, decimals: u32) -> String {
    if x.is_nan() {
        return "NaN".to_string();
    }
    let sign = if x.is_sign_negative() { "-" } else { "" };
    if x.is_infinite() {
        return format!("{sign}inf");
    }
    let bits = x.to_bits();
    let exponent = ((bits >> 52) & 0x7ff) as i32;
    let fraction = bits & ((1 << 52) - 1);
    // |x| = mantissa * 2^power
    let (mantissa, power) = if exponent == 0 {
        (fraction, -1074)
    } else {
        (fraction | 1 << 52, exponent - 1075)
    };
    // |x| * 10^decimals = scaled * 2^power, and scaled < 2^83.
    let scaled = u128::from(mantissa) * 10u128.pow(decimals);
    let digits = if power >= 0 {
        // An integer: in base 10^9 limbs (least significant first), times 2^power.
        let mut limbs = limbs_of(scaled);
        let mut left = power as u32;
        while left > 0 {
            let step = left.min(29);
            left -= step;
            let mut carry = 0;
            for limb in limbs.iter_mut() {
                let v = (*limb << step) + carry;
                *limb = v % BASE;
                carry = v / BASE;
            }
            if carry > 0 {
                limbs.push(carry);
            }
        }
        limbs_text(&limbs)
    } else {
        let shift = power.unsigned_abs();
        // scaled < 2^83: beyond 100 bits of shift the value rounds to 0.
        let rounded = if shift > 100 {
            0
        } else {
            let whole = scaled >> shift;
            let rest = scaled - (whole << shift);
            let half = 1u128 << (shift - 1);
            if rest > half || (rest == half && whole & 1 == 1) {
                whole + 1
            } else {
                whole
            }
        };
        limbs_text(&limbs_of(rounded))
    };
    let decimals = decimals as usize;
    let digits = format!("{digits:0>width$}", width = decimals + 1);
    let (int, frac) = digits.split_at(digits.len() - decimals);
    if decimals == 0 {
        format!("{sign}{int}")
    } else {
        format!("{sign}{int}.{frac}")
    }
}

const BASE: u64 = 1_000_000_000;

/// `x` in base 10^9 limbs, least significant first (none for 0), by long division of its
/// 32-bit words in u64: a u128 division would bring a kilobyte of divider into the download.
fn limbs_of(mut x: u128) -> Vec<u64> {
    let mut limbs = Vec::new();
    while x > 0 {
        let (mut quotient, mut rest) = (0u128, 0u64);
        for shift in [96, 64, 32, 0] {
            let word = (rest << 32) | (x >> shift) as u64 & 0xffff_ffff;
            quotient |= u128::from(word / BASE) << shift;
            rest = word % BASE;
        }
        limbs.push(rest);
        x = quotient;
    }
    limbs
}

/// Limbs of [`limbs_of`] written in decimal (empty for none).
fn limbs_text(limbs: &[u64]) -> String {
    let mut text = limbs.last().map_or(String::new(), u64::to_string);
    for limb in limbs.iter().rev().skip(1) {
        text.push_str(&format!("{limb:09}"));
    }
    text
}

/// As [`fixed`], with a `+` before numbers that are not negative (`format!("{x:+.1}")`).
pub fn fixed_signed(x: f64, decimals: u32) -> String {
    if x.is_nan() || x.is_sign_negative() {
        fixed(x, decimals)
    } else {
        format!("+{}", fixed(x, decimals))
    }
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

/// A decimal number as Rust's `str::parse::<f64>` reads it (`1.5`, `-0.25`, `.5`, `3.`,
/// `2e3`), for the page's fields and URL. Numbers of at most 15 significant digits with an
/// exponent from -22 to 22 (every number a learner types) are read exactly as `parse` does:
/// one correctly rounded multiplication or division of two exact values. Longer ones are read
/// to within a few units in the last place. Small code in place of core's float parsing,
/// whose 10 KB table of powers of five the page's download then leaves out. `None` for
/// anything else, `inf` and `NaN` included.
pub fn parse_decimal(text: &str) -> Option<f64> {
    let bytes = text.as_bytes();
    let (negative, mut i) = match bytes.first() {
        Some(b'-') => (true, 1),
        Some(b'+') => (false, 1),
        _ => (false, 0),
    };
    // The significant digits (at most 19 kept), and the power of ten they are scaled by.
    let (mut digits, mut kept, mut exponent) = (0u64, 0u32, 0i64);
    let (mut seen_digit, mut seen_point) = (false, false);
    while let Some(&b) = bytes.get(i) {
        match b {
            b'0'..=b'9' => {
                seen_digit = true;
                if kept < 19 {
                    digits = digits * 10 + u64::from(b - b'0');
                    if digits > 0 {
                        kept += 1;
                    }
                    if seen_point {
                        exponent -= 1;
                    }
                } else if !seen_point {
                    exponent += 1;
                }
            }
            b'.' if !seen_point => seen_point = true,
            _ => break,
        }
        i += 1;
    }
    if !seen_digit {
        return None;
    }
    if let Some(b'e' | b'E') = bytes.get(i) {
        i += 1;
        let sign = match bytes.get(i) {
            Some(b'-') => {
                i += 1;
                -1
            }
            Some(b'+') => {
                i += 1;
                1
            }
            _ => 1,
        };
        let start = i;
        let mut power = 0i64;
        while let Some(b @ b'0'..=b'9') = bytes.get(i) {
            power = (power * 10 + i64::from(b - b'0')).min(100_000);
            i += 1;
        }
        if i == start {
            return None;
        }
        exponent += sign * power;
    }
    if i != bytes.len() {
        return None;
    }
    let x = if digits == 0 {
        0.0
    } else if digits < 1 << 53 && (-22..=22).contains(&exponent) {
        // Both operands exact: one rounding, as a correctly rounded parse gives.
        let power = pow10(exponent.unsigned_abs() as u32);
        if exponent < 0 {
            digits as f64 / power
        } else {
            digits as f64 * power
        }
    } else if exponent > 330 {
        f64::INFINITY
    } else if exponent < -360 {
        0.0
    } else {
        // Outside the exact range: in steps, each exact power of ten at most 1e22.
        let mut x = digits as f64;
        let mut e = exponent;
        while e > 0 {
            let step = e.min(22);
            x *= pow10(step as u32);
            e -= step;
        }
        while e < 0 {
            let step = (-e).min(22);
            x /= pow10(step as u32);
            e += step;
        }
        x
    };
    Some(if negative { -x } else { x })
}

/// 10^`n` for `n` at most 22: exact.
fn pow10(n: u32) -> f64 {
    let mut p = 1.0;
    for _ in 0..n {
        p *= 10.0;
    }
    p
}

#[cfg(test)]
mod tests {
    #[test]
    fn parse_decimal_reads_what_std_reads() {
        use super::parse_decimal;
        // Every number of up to 15 digits a learner types: exactly as std.
        let mut texts: Vec<String> = [
            "0",
            "-0",
            "+1",
            "1.5",
            "0.3",
            ".5",
            "3.",
            "2e3",
            "1E-3",
            "0.001",
            "3600",
            "0.01",
            "10",
            "1e22",
            "123456789012345",
            "0.000000000000000000001",
            "00012.50",
            "9007199254740991",
            "1.7976931348623157e308",
            "5e-324",
            "0.30000000000000004",
            "12345678901234567890123",
            "1e400",
            "1e-400",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..200_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let digits = seed % 1_000_000_000_000_000;
            let point = (seed >> 50) % 17;
            let mut t = digits.to_string();
            if (point as usize) < t.len() {
                t.insert(t.len() - point as usize, '.');
            }
            if seed >> 63 == 1 {
                t.insert(0, '-');
            }
            texts.push(t);
        }
        for t in &texts {
            let ours = parse_decimal(t).unwrap();
            let std: f64 = t.parse().unwrap();
            let digits = t
                .trim_start_matches(['-', '+', '0', '.'])
                .chars()
                .filter(char::is_ascii_digit)
                .count();
            if digits <= 15 && !t.contains(['e', 'E'])
                || ["1e22", "2e3", "1E-3"].contains(&t.as_str())
            {
                assert_eq!(ours.to_bits(), std.to_bits(), "{t}");
            } else {
                let close = ours == std
                    || ((ours - std) / std).abs() < 1e-14
                    || (std != 0.0 && std.abs() < 1e-300);
                assert!(close, "{t}: {ours} against {std}");
            }
        }
        for bad in [
            "", "-", ".", "e5", "1e", "1.2.3", "1,5", " 1", "inf", "NaN", "0x10", "1e+",
        ] {
            assert_eq!(parse_decimal(bad), None, "{bad:?}");
            assert!(bad.parse::<f64>().is_err() || bad == "inf" || bad == "NaN");
        }
    }

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
    fn fixed_writes_what_core_fmt_writes() {
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut values = vec![
            0.0,
            -0.0,
            0.5,
            1.5,
            2.5,
            -2.5,
            0.125,
            0.375,
            1e300,
            -1e22,
            f64::MAX,
            f64::MIN_POSITIVE,
            5e-324,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            4503599627370496.5,
            9007199254740993.0,
        ];
        for i in 0..20_000 {
            let r = next();
            values.push(f64::from_bits(r));
            // Near the numbers shown: ties, small and large magnitudes.
            values.push((r % 2_000_001) as f64 / 16.0 - 62_500.0);
            values.push((r % 1_000_000) as f64 / 1000.0);
            values.push((r >> 11) as f64 * 2f64.powi((i % 200) - 120));
        }
        for x in values {
            for d in 0..=3 {
                let want = format!("{x:.*}", d as usize);
                assert_eq!(fixed(x, d), want, "{x:e} with {d} decimals");
                assert_eq!(fixed_signed(x, d), format!("{x:+.*}", d as usize));
            }
        }
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
