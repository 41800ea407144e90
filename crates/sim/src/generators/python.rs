//! The corrected Python of each version of `hello`, the article's original, and the line each
//! [`Place`] of the stepper stands on.

use super::{Place, Solution};

/// The imports and `SECONDS`, the line the page rewrites with its `seconds`.
macro_rules! head {
    () => {
        r#"import sys
import time
from typing import Generator, List

SECONDS = 1  # the page writes its seconds here
"#
    };
}

/// `asleep` with its argument used: the article's compares with 2, whatever it is given.
macro_rules! asleep {
    () => {
        r#"

def asleep(seconds: float) -> Generator[None, None, None]:
    start = time.time()
    while time.time() - start < seconds:  # the article compares with 2
        yield
"#
    };
}

/// The loop, corrected, the stand-in for `sys.stdout` it prints through, and its call.
macro_rules! tail {
    () => {
        r#"

def loop(generators: List[Generator]) -> None:
    out = sys.stdout = Collapsed(sys.stdout)
    try:
        while generators:
            # A copy: a generator that ends leaves the list.
            for g in list(generators):
                try:
                    out.show(next(g))  # the article: print(next(g))
                # The article catches StopException, which does not exist.
                except StopIteration:
                    generators.remove(g)
    finally:
        out.end_run()
        sys.stdout = out.out


class Collapsed:
    """Stands in for sys.stdout while the loop runs: a run of one value
    from next() is printed once, when it ends, with its count; anything
    else printed ends the run first."""

    def __init__(self, out):
        self.out, self.line, self.count = out, None, 0

    def show(self, value) -> None:
        line = str(value)
        if line != self.line:
            self.end_run()
            self.line = line
        self.count += 1

    def end_run(self) -> None:
        if self.count == 1:
            self.out.write(f"{self.line}\n")
        elif self.count > 1:
            self.out.write(f"{self.line} x {self.count:,}\n")
        self.line, self.count = None, 0

    def write(self, text: str) -> int:
        self.end_run()
        return self.out.write(text)

    def flush(self) -> None:
        self.out.flush()


loop([hello(), hello()])
"#
    };
}

const NO_YIELD: &str = concat!(
    head!(),
    r#"

def hello() -> None:
    print("hello")
    time.sleep(SECONDS)
    print("goodbye")
"#,
    tail!()
);

const YIELD_THEN_SLEEP: &str = concat!(
    head!(),
    r#"

def hello() -> Generator:
    print("hello")
    yield
    time.sleep(SECONDS)
    print("goodbye")
"#,
    tail!()
);

const BUSY_WAIT: &str = concat!(
    head!(),
    r#"

def hello() -> Generator:
    print("hello")
    start = time.time()
    while time.time() - start < SECONDS:
        yield
    print("goodbye")
"#,
    tail!()
);

const YIELD_ASLEEP: &str = concat!(
    head!(),
    asleep!(),
    r#"

def hello() -> Generator:
    print("hello")
    yield asleep(SECONDS)
    print("goodbye")
"#,
    tail!()
);

const YIELD_FROM_ASLEEP: &str = concat!(
    head!(),
    asleep!(),
    r#"

def hello() -> Generator:
    print("hello")
    yield from asleep(SECONDS)
    print("goodbye")
"#,
    tail!()
);

/// The corrected Python of `solution`, with `SECONDS = 1`.
pub const fn template(solution: Solution) -> &'static str {
    match solution {
        Solution::NoYield => NO_YIELD,
        Solution::YieldThenSleep => YIELD_THEN_SLEEP,
        Solution::BusyWait => BUSY_WAIT,
        Solution::YieldAsleep => YIELD_ASLEEP,
        Solution::YieldFromAsleep => YIELD_FROM_ASLEEP,
    }
}

/// The corrected Python of `solution` with `seconds` written in (`SECONDS = 0.5`).
pub fn source(solution: Solution, seconds: &str) -> String {
    template(solution).replacen("SECONDS = 1  #", &format!("SECONDS = {seconds}  #"), 1)
}

/// The line `place` stands for, exactly as it is written in every version that has it.
fn line_text(place: Place) -> &'static str {
    match place {
        Place::Call => "loop([hello(), hello()])",
        Place::Yield => "    yield",
        Place::TimeSleep => "    time.sleep(SECONDS)",
        Place::BusyWaitYield | Place::AsleepYield => "        yield",
        Place::YieldAsleep => "    yield asleep(SECONDS)",
        Place::YieldFromAsleep => "    yield from asleep(SECONDS)",
        Place::LoopNext => "                    out.show(next(g))  # the article: print(next(g))",
        Place::StopIteration => "                    generators.remove(g)",
    }
}

/// The 1-based line of `solution`'s Python that `place` stands on, if that version has it.
pub fn line(solution: Solution, place: Place) -> Option<usize> {
    let wanted = line_text(place);
    template(solution)
        .lines()
        .position(|l| l == wanted)
        .map(|i| i + 1)
}

/// The 1-based lines, first and last, of the helper class `Collapsed`: the page's stand-in
/// for `sys.stdout`, which the article does not have (the page folds it).
pub fn helper(solution: Solution) -> (usize, usize) {
    let lines: Vec<&str> = template(solution).lines().collect();
    let first = lines
        .iter()
        .position(|l| l.starts_with("class Collapsed"))
        .unwrap_or(0);
    // The class ends before the next line written at the left margin, blank lines left out.
    let end = lines[first + 1..]
        .iter()
        .position(|l| !l.is_empty() && !l.starts_with(' '))
        .map_or(lines.len(), |i| first + 1 + i);
    let last = (first..end)
        .rev()
        .find(|&i| !lines[i].trim().is_empty())
        .unwrap_or(first);
    (first + 1, last + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_helper_class_is_folded_whole_and_holds_no_line_a_step_stops_on() {
        for solution in Solution::ALL {
            let (first, last) = helper(solution);
            let lines: Vec<&str> = template(solution).lines().collect();
            assert!(
                lines[first - 1].starts_with("class Collapsed:"),
                "{solution:?}"
            );
            assert_eq!(lines[last - 1], "        self.out.flush()", "{solution:?}");
            assert!(lines[last..].iter().any(|l| l.starts_with("loop(")));
            for place in solution.places() {
                let at = line(solution, *place).expect("a place's line");
                assert!(!(first..=last).contains(&at), "{solution:?} {place:?}");
            }
        }
    }

    #[test]
    fn every_place_a_version_reaches_is_on_exactly_one_line() {
        for solution in Solution::ALL {
            for place in solution.places() {
                let wanted = line_text(*place);
                let found = template(solution).lines().filter(|l| *l == wanted).count();
                assert_eq!(found, 1, "{solution:?} {place:?}");
            }
        }
    }

    #[test]
    fn the_page_writes_its_seconds_into_the_python() {
        let python = source(Solution::BusyWait, "0.5");
        assert!(python.contains("SECONDS = 0.5  # the page"));
        assert!(!python.contains("SECONDS = 1 "));
    }

    #[test]
    fn the_corrected_python_has_none_of_the_articles_bugs() {
        for solution in Solution::ALL {
            let python = template(solution);
            assert!(!python.contains("StopException ") && !python.contains("except StopException"));
            assert!(!python.contains("del generators"));
            assert!(python.contains("from typing import Generator, List"));
            assert!(!python.contains("< 2"));
        }
    }
}
