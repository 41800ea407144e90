//! What a run prints, with a run of one value from `next()` collapsed into one line with its
//! count, as the corrected loop's `Collapsed` prints it.

/// Who printed a line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// Version 0's `hello()` call number 1 or 2 (a plain function, not a generator).
    Call(u8),
    /// Generator 1 or 2 printed it itself (`print("hello")`).
    Generator(u8),
    /// The loop printed what `next()` gave; bit `k - 1` is set for each generator `k` whose
    /// value is counted in the line.
    Yielded(u8),
    /// The loop raised.
    Loop,
}

impl Source {
    /// The source in words: `generator 1`, `generators 1 and 2`, `call 2`, `loop()`; never
    /// the words a line prints (so no `hello`).
    pub fn label(self) -> String {
        match self {
            Source::Call(k) => format!("call {k}"),
            Source::Generator(k) => format!("generator {k}"),
            Source::Yielded(0b01) => "generator 1".to_string(),
            Source::Yielded(0b10) => "generator 2".to_string(),
            Source::Yielded(_) => "generators 1 and 2".to_string(),
            Source::Loop => "loop()".to_string(),
        }
    }

    /// A name without spaces for `data-source` attributes: `generator-1`, `generators-1-2`.
    pub fn id(self) -> String {
        self.label()
            .replace("()", "")
            .replace(" and ", "-")
            .replace(' ', "-")
    }
}

/// What kind of line it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineKind {
    /// `print` in `hello`.
    Printed,
    /// The loop's print of a value `next()` gave.
    Yielded,
    /// The exception that ended the run, as Python's last traceback line says it.
    Error,
}

/// One line of output; repeats of a yielded value are one line with a count.
#[derive(Clone, Debug, PartialEq)]
pub struct OutputLine {
    /// The text printed.
    pub text: String,
    /// Who printed it.
    pub source: Source,
    /// What kind of line it is.
    pub kind: LineKind,
    /// How many times in a row it was printed.
    pub count: u64,
    /// When it was first printed, ms since the run started.
    pub first_ms: f64,
    /// When it was last printed, ms since the run started.
    pub last_ms: f64,
}

impl OutputLine {
    /// The line as the corrected Python prints it: `None x 1,523,411` for a run.
    pub fn shown(&self) -> String {
        if self.count > 1 {
            format!("{} x {}", self.text, crate::format::count(self.count))
        } else {
            self.text.clone()
        }
    }
}

/// Every line printed so far, in order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OutputLog {
    lines: Vec<OutputLine>,
}

impl OutputLog {
    /// The lines, in order.
    pub fn lines(&self) -> &[OutputLine] {
        &self.lines
    }

    /// `hello` (or a `hello()` call) printed `text`: always a line of its own.
    pub fn printed(&mut self, text: &str, source: Source, at_ms: f64) {
        self.push(text, source, LineKind::Printed, at_ms);
    }

    /// The loop printed the value generator `k` gave: one more of the previous line when it is
    /// the same value, else a new line.
    pub fn yielded(&mut self, text: &str, generator: u8, at_ms: f64) {
        let bit = 1u8 << (generator - 1);
        if let Some(last) = self.lines.last_mut() {
            if last.kind == LineKind::Yielded && last.text == text {
                last.count += 1;
                last.last_ms = at_ms;
                if let Source::Yielded(bits) = &mut last.source {
                    *bits |= bit;
                }
                return;
            }
        }
        self.push(text, Source::Yielded(bit), LineKind::Yielded, at_ms);
    }

    /// The loop raised `error`.
    pub fn raised(&mut self, error: &str, at_ms: f64) {
        self.push(error, Source::Loop, LineKind::Error, at_ms);
    }

    fn push(&mut self, text: &str, source: Source, kind: LineKind, at_ms: f64) {
        self.lines.push(OutputLine {
            text: text.to_string(),
            source,
            kind,
            count: 1,
            first_ms: at_ms,
            last_ms: at_ms,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_of_one_value_is_one_line_with_its_count_and_both_sources() {
        let mut log = OutputLog::default();
        log.printed("hello", Source::Generator(2), 0.0);
        for i in 0..1_523_411u64 {
            log.yielded("None", 1 + (i % 2) as u8, i as f64);
        }
        log.printed("goodbye", Source::Generator(1), 9.0);
        let lines = log.lines();
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[1].shown(), "None x 1,523,411");
        assert_eq!(lines[1].source.label(), "generators 1 and 2");
        assert_eq!(lines[1].source.id(), "generators-1-2");
    }

    #[test]
    fn printed_lines_never_collapse_even_when_they_repeat() {
        let mut log = OutputLog::default();
        log.printed("goodbye", Source::Generator(1), 1.0);
        log.printed("goodbye", Source::Generator(2), 2.0);
        assert_eq!(log.lines().len(), 2);
        assert_eq!(log.lines()[1].source.label(), "generator 2");
        assert_eq!(Source::Call(1).id(), "call-1");
        assert_eq!(Source::Loop.id(), "loop");
    }
}
