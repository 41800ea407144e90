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
        const BASE: u64 = 1_000_000_000;
        let mut limbs = Vec::new();
        let mut rest = scaled;
        while rest > 0 {
            limbs.push((rest % u128::from(BASE)) as u64);
            rest /= u128::from(BASE);
        }
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
        let mut text = limbs.last().map_or(String::new(), u64::to_string);
        for limb in limbs.iter().rev().skip(1) {
            text.push_str(&format!("{limb:09}"));
        }
        text
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
        rounded.to_string()
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
