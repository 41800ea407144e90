//! The timeline of a run: one lane per generator (or `hello()` call), with its `next()` calls
//! counted in time bins and what happened to it marked.

/// Bins a lane keeps at most: when a run outgrows them, pairs merge and each bin doubles.
pub const MAX_BINS: usize = 128;

/// `next()` calls counted per time bin; millions of ticks fit in [`MAX_BINS`] numbers.
#[derive(Clone, Debug, PartialEq)]
pub struct TickBins {
    /// The width of a bin, ms.
    pub bin_ms: f64,
    /// Calls in each bin, the first starting at 0 ms.
    pub counts: Vec<u64>,
}

impl Default for TickBins {
    fn default() -> Self {
        TickBins {
            bin_ms: 1.0,
            counts: Vec::new(),
        }
    }
}

impl TickBins {
    /// Counts one call at `at_ms`.
    pub fn add(&mut self, at_ms: f64) {
        let at_ms = at_ms.max(0.0);
        while at_ms >= self.bin_ms * MAX_BINS as f64 {
            self.counts = self
                .counts
                .chunks(2)
                .map(|pair| pair.iter().sum())
                .collect();
            self.bin_ms *= 2.0;
        }
        let bin = (at_ms / self.bin_ms) as usize;
        if self.counts.len() <= bin {
            self.counts.resize(bin + 1, 0);
        }
        self.counts[bin] += 1;
    }

    /// Every call counted.
    pub fn total(&self) -> u64 {
        self.counts.iter().sum()
    }
}

/// What happened on a lane.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum MarkKind {
    /// It printed `hello`.
    Hello,
    /// It printed `goodbye`.
    Goodbye,
    /// It held everything in `time.sleep` until this time, ms.
    Slept { until_ms: f64 },
    /// It ended (StopIteration, or the call returned).
    Ended,
    /// The loop raised on it.
    Raised,
}

/// One mark on a lane.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Mark {
    /// When, ms since the run started.
    pub at_ms: f64,
    /// What.
    pub kind: MarkKind,
}

/// One generator's (or call's) lane.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Lane {
    /// Its `next()` calls over time.
    pub ticks: TickBins,
    /// What happened to it, in order (a handful per run).
    pub marks: Vec<Mark>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bins_double_instead_of_growing_and_keep_every_call() {
        let mut bins = TickBins::default();
        for i in 0..10_000 {
            bins.add(f64::from(i) * 0.1);
        }
        assert!(bins.counts.len() <= MAX_BINS);
        assert_eq!(bins.total(), 10_000);
        assert_eq!(bins.bin_ms, 8.0);
    }
}
