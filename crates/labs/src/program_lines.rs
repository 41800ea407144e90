//! Which line of a lab's program each bar of a run's timeline stands for, read from the
//! program's text: the executor's function (named after it: `event-loop` is `event_loop`),
//! what it reaches by name (the coroutine it gathers, the function a thread runs, a class and
//! its methods), and in those, the line that makes the tasks and the first line of each kind
//! of step (the `await asyncio.sleep`, the `time.sleep`, the `is_prime` call, the request,
//! the `print`), and each method's `def`.
//!
//! Native tests walk every lab and executor and hold each step kind its workload has to a line
//! that says it, so a lab whose program changes shape cannot lose its links unnoticed.

use sim::executors::ExecutorId;
use sim::timeline::SegmentKind;
use sim::workload::StepKind;

/// The lines (1-based) of one executor's part of a program.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Lines {
    /// Where the tasks are made: the gather, the threads, the pool's `map`, the loop that
    /// awaits each in turn.
    pub made: Option<u32>,
    /// Where the pool (or the executor of processes) starts.
    pub pool: Option<u32>,
    /// The first `print`.
    pub print: Option<u32>,
    /// The first sleep that lets the thread go (`await asyncio.sleep`, or a thread's
    /// `time.sleep`, or the `run_in_executor` that hands a `time.sleep` over).
    pub sleep: Option<u32>,
    /// The first `time.sleep`.
    pub blocking: Option<u32>,
    /// The first call of `is_prime`.
    pub cpu: Option<u32>,
    /// The first request.
    pub fetch: Option<u32>,
    /// Each function's or method's `def`, by name, in the program's order.
    pub calls: Vec<(String, u32)>,
}

impl Lines {
    /// The line a bar of `kind` stands for, in a run whose steps are of `kinds`: a ready bar
    /// is the task about to resume at its await (its request, its sleep), or, never started,
    /// where it was made; a wait for the GIL is the work it waits to go on with.
    pub fn of(&self, kind: SegmentKind, kinds: &[StepKind]) -> Option<u32> {
        let has = |k| kinds.contains(&k);
        match kind {
            SegmentKind::Task => self.made,
            SegmentKind::Sleep => self.sleep.or(self.blocking),
            SegmentKind::BlockingSleep => self.blocking.or(self.sleep),
            SegmentKind::Cpu => self.cpu,
            SegmentKind::Queued | SegmentKind::InFlight | SegmentKind::Failed => self.fetch,
            SegmentKind::Ready if has(StepKind::Fetch) => self.fetch,
            SegmentKind::Ready if has(StepKind::Sleep) || has(StepKind::BlockingSleep) => {
                self.sleep.or(self.blocking)
            }
            SegmentKind::Ready => self.made,
            SegmentKind::GilWait if has(StepKind::Cpu) => self.cpu,
            SegmentKind::GilWait => self.sleep.or(self.blocking),
        }
    }

    /// The `def` of the function or method `name`.
    pub fn call(&self, name: &str) -> Option<u32> {
        self.calls.iter().find(|(n, _)| n == name).map(|(_, l)| *l)
    }

    /// Every line some bar can stand for, in order, once each.
    pub fn all(&self) -> Vec<u32> {
        let out: Vec<u32> = [
            self.made,
            self.pool,
            self.print,
            self.sleep,
            self.blocking,
            self.cpu,
            self.fetch,
        ]
        .into_iter()
        .flatten()
        .chain(self.calls.iter().map(|(_, l)| *l))
        .collect();
        let mut out = sim::order::sorted_by(out, |n| f64::from(*n));
        out.dedup();
        out
    }
}

/// A top-level `def`, `async def` or `class` of a program: its name and its lines (0-based,
/// the header first).
struct Block {
    name: String,
    first: usize,
    end: usize,
}

/// `line` without its comment (a `#` outside quotes starts one).
fn code(line: &str) -> &str {
    let mut quote = None;
    for (i, c) in line.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), _) if c == q => quote = None,
            (None, '#') => return &line[..i],
            _ => {}
        }
    }
    line
}

/// The name a `def`, `async def` or `class` line defines.
fn defined(line: &str) -> Option<&str> {
    let rest = line.trim_start();
    let rest = rest.strip_prefix("async ").unwrap_or(rest);
    let rest = rest
        .strip_prefix("def ")
        .or_else(|| rest.strip_prefix("class "))?;
    let end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    Some(&rest[..end])
}

/// The program's top-level definitions.
fn blocks(lines: &[&str]) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let top = !line.is_empty() && !line.starts_with([' ', '#', ')']);
        if !top {
            continue;
        }
        if let Some(last) = out.last_mut() {
            if last.end > i {
                last.end = i;
            }
        }
        if let Some(name) = defined(line).filter(|_| !line.starts_with(' ')) {
            out.push(Block {
                name: name.to_string(),
                first: i,
                end: lines.len(),
            });
        }
    }
    out
}

/// The identifiers of `text`.
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
}

/// The lines of `program` that `executor`'s bars stand for.
pub fn lines(program: &str, executor: ExecutorId) -> Lines {
    let text: Vec<&str> = program.lines().collect();
    let blocks = blocks(&text);
    let entry = executor.id().replace('-', "_");
    let Some(start) = blocks.iter().position(|b| b.name == entry) else {
        return Lines::default();
    };
    // What the executor's function reaches by name, nearest first.
    let mut reached = vec![start];
    let mut next = 0;
    while let Some(&at) = reached.get(next) {
        next += 1;
        let block = &blocks[at];
        // A class's header names its bases: their methods are its too.
        for line in &text[block.first..block.end] {
            let line = code(line);
            let line = if defined(line) == Some(block.name.as_str()) {
                line.split_once('(').map_or("", |(_, bases)| bases)
            } else {
                line
            };
            for word in words(line) {
                if let Some(found) = blocks.iter().position(|b| b.name == word) {
                    if !reached.contains(&found) {
                        reached.push(found);
                    }
                }
            }
        }
    }
    // Every line of what it reaches, 1-based, without comments, nearest block first.
    let body: Vec<(u32, &str)> = reached
        .iter()
        .flat_map(|&b| {
            let block = &blocks[b];
            (block.first..block.end).map(|i| (i as u32 + 1, code(text[i])))
        })
        .collect();
    let first = |test: &dyn Fn(&str) -> bool| {
        body.iter()
            .find(|(_, l)| defined(l).is_none() && test(l))
            .map(|(n, _)| *n)
    };
    let own = &blocks[start];
    let others: Vec<&str> = reached[1..]
        .iter()
        .map(|&b| blocks[b].name.as_str())
        .collect();
    let in_entry = |test: &dyn Fn(&str) -> bool| {
        (own.first + 1..own.end)
            .find(|&i| test(code(text[i])))
            .map(|i| i as u32 + 1)
    };
    // A call written over lines (a long gather) is marked at its first.
    let opening = |n: Option<u32>| {
        n.map(|n| {
            let before = code(text[n as usize - 2]).trim_end();
            if before.ends_with('(') {
                n - 1
            } else {
                n
            }
        })
    };
    Lines {
        made: opening(in_entry(&|l| words(l).any(|w| others.contains(&w)))),
        pool: in_entry(&|l| l.contains("Pool(") || l.contains("Executor(")),
        print: first(&|l| l.contains("print(")),
        sleep: first(&|l| l.contains("asyncio.sleep(") || l.contains("time.sleep")),
        blocking: first(&|l| l.contains("time.sleep")),
        cpu: first(&|l| l.contains("is_prime")),
        fetch: first(&|l| l.contains(".get(")),
        calls: body
            .iter()
            .filter_map(|(n, l)| Some((defined(l)?.to_string(), *n)))
            .collect(),
    }
}

#[cfg(test)]
mod tests;
