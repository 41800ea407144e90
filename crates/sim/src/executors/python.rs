//! Each executor's section of a lab's Python program, written in the lab's own words.
//!
//! A lab's program says what one task is (a coroutine on the loop, a blocking function for
//! a thread or a process, the coroutine that hands its blocking calls to an executor) and
//! how many there are; each executor's registry entry ([`super::ExecutorSpec::python`])
//! writes its function from those [`Words`], so an executor's Python is written once, not
//! once per lab.

/// A definition of the lab's program that a section may use: the lab writes it only when a
/// chosen executor's section does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Word {
    /// One task as a coroutine on the loop ([`Words::coroutine`]).
    Coroutine,
    /// One task as a blocking function ([`Words::function`]).
    Function,
    /// What a pool's processes map over ([`Words::pool_task`]).
    PoolTask,
    /// The coroutine that hands a task's blocking calls to an executor ([`Words::offloaded`]).
    Offloaded,
    /// `client()`, the aiohttp session the coroutines share ([`Words::session`]).
    Client,
}

/// What a lab's program calls its tasks.
#[derive(Clone, Copy, Debug)]
pub struct Words<'a> {
    /// The constant that says how many tasks: `TASKS`, `JOBS`, `CATS`.
    pub count: &'a str,
    /// One task on the loop, as called: `ahello()`, `a_hello(session)`.
    pub coroutine: &'a str,
    /// One task as a blocking function, for a thread's target: `hello`, `SyncCat().exists`.
    pub function: &'a str,
    /// What a pool maps over the tasks' indices (a function of one argument).
    pub pool_task: &'a str,
    /// A comment after the pool's `map` line ("" for none).
    pub map_note: &'a str,
    /// One task on the loop that hands its blocking calls to `executor`, as called, with
    /// `{executor}` where the executor goes (`None` for the loop's threads, `processes` for
    /// a process pool); `None` when the task makes no blocking call (`sleep=async`).
    pub offloaded: Option<&'a str>,
    /// Why nothing is handed over when [`Words::offloaded`] is `None` (`sleep=async`).
    pub nothing_blocks: &'a str,
    /// `sequential` is a plain function that calls [`Words::function`] in turn (a synchronous
    /// program, as the cats' `SyncCat`).
    pub sync: bool,
    /// The coroutines take a `session` that `client()` opens.
    pub session: bool,
    /// The pool's processes: `None` for one per core (`workers=auto`).
    pub workers: Option<u32>,
}

/// One executor's part of a program.
#[derive(Clone, Debug, PartialEq)]
pub struct Section {
    /// Its definitions (the function the driver times, and what only it needs).
    pub text: String,
    /// What the driver calls to run it: `lambda: asyncio.run(event_loop())`, `threads`.
    pub run: String,
    /// The lab's definitions it uses.
    pub uses: Vec<Word>,
}

fn section(text: String, run: &str, uses: &[Word]) -> Section {
    Section {
        text,
        run: run.to_string(),
        uses: uses.to_vec(),
    }
}

/// `lines` indented by `depth` levels of four spaces.
fn indent(lines: &[String], depth: usize) -> String {
    let pad = "    ".repeat(depth);
    lines
        .iter()
        .map(|l| fitted(&format!("{pad}{l}")))
        .collect::<Vec<_>>()
        .join("\n")
}

/// PEP 8's longest line, which every program the page writes keeps to (its URL aside).
pub const MAX_LINE: usize = 79;

/// `line`, or, when a gather makes it longer than [`MAX_LINE`], that gather on three lines,
/// as Black writes it.
fn fitted(line: &str) -> String {
    const OPEN: &str = "await asyncio.gather(";
    if line.chars().count() <= MAX_LINE {
        return line.to_string();
    }
    let Some(at) = line.find(OPEN) else {
        return line.to_string();
    };
    let Some(args) = line[at + OPEN.len()..].strip_suffix(')') else {
        return line.to_string();
    };
    let pad = &line[..line.len() - line.trim_start().len()];
    format!("{}{OPEN}\n{pad}    {args}\n{pad})", &line[..at])
}

/// `body` inside `async with client() as session:` when the tasks share a session.
fn in_session(words: &Words, body: Vec<String>) -> Vec<String> {
    if !words.session {
        return body;
    }
    let mut out = vec!["async with client() as session:".to_string()];
    out.extend(body.into_iter().map(|l| format!("    {l}")));
    out
}

/// The uses of a coroutine section: the coroutine, and the session when there is one.
fn on_loop(words: &Words, word: Word) -> Vec<Word> {
    let mut uses = vec![word];
    if words.session {
        uses.push(Word::Client);
    }
    uses
}

/// `gather` of `call` over the tasks.
fn gather(words: &Words, call: &str) -> String {
    format!(
        "await asyncio.gather(*[{call} for _ in range({})])",
        words.count
    )
}

/// `multiprocessing.Pool()` for `workers=auto`, else `multiprocessing.Pool(N)`, with its
/// comment.
pub fn multiprocessing_pool(words: &Words) -> (String, &'static str) {
    match words.workers {
        Some(n) => (format!("multiprocessing.Pool({n})"), ""),
        None => (
            "multiprocessing.Pool()".into(),
            "  # Pool(): one process per core",
        ),
    }
}

/// `concurrent.futures.ProcessPoolExecutor()` for `workers=auto`, else with `N` processes,
/// with the comment line that goes over it.
pub fn process_pool(words: &Words) -> (String, &'static str) {
    match words.workers {
        Some(n) => (format!("concurrent.futures.ProcessPoolExecutor({n})"), ""),
        None => (
            "concurrent.futures.ProcessPoolExecutor()".into(),
            "# ProcessPoolExecutor(): one process per core",
        ),
    }
}

/// `sequential`: each task awaited in turn (or, in a synchronous program, called in turn).
pub fn sequential(words: &Words) -> Section {
    if words.sync {
        let text = format!(
            "def sequential():\n    for _ in range({}):\n        {}()  # the next one starts when this one ends",
            words.count, words.function
        );
        return section(text, "sequential", &[Word::Function]);
    }
    let body = in_session(
        words,
        vec![
            format!("for _ in range({}):", words.count),
            format!(
                "    await {}  # the next one starts when this one ends",
                words.coroutine
            ),
        ],
    );
    Section {
        text: format!("async def sequential():\n{}", indent(&body, 1)),
        run: "lambda: asyncio.run(sequential())".into(),
        uses: on_loop(words, Word::Coroutine),
    }
}

/// `event_loop`: every task gathered on the one loop.
pub fn event_loop(words: &Words) -> Section {
    let body = in_session(words, vec![gather(words, words.coroutine)]);
    Section {
        text: format!("async def event_loop():\n{}", indent(&body, 1)),
        run: "lambda: asyncio.run(event_loop())".into(),
        uses: on_loop(words, Word::Coroutine),
    }
}

/// `threads`: one thread per task, each calling the task's function, started together and
/// joined.
pub fn threads(words: &Words) -> Section {
    let text = format!(
        "def threads():\n    workers = [threading.Thread(target={}) for _ in range({})]\n    for thread in workers:\n        thread.start()\n    for thread in workers:\n        thread.join()",
        words.function, words.count
    );
    section(text, "threads", &[Word::Function])
}

/// `pool`: the tasks mapped over a `multiprocessing.Pool`, one task a process at a time.
pub fn pool(words: &Words) -> Section {
    let (pool, note) = multiprocessing_pool(words);
    let text = format!(
        "def pool():\n    with {pool} as processes:{note}\n        processes.map({}, range({})){}",
        words.pool_task, words.count, words.map_note
    );
    section(text, "pool", &[Word::PoolTask])
}

/// `pool_of_loops`: each process of a pool runs an event loop that gathers its whole share.
pub fn pool_of_loops(words: &Words) -> Section {
    let workers = match words.workers {
        Some(n) => format!("{n}"),
        None => "os.cpu_count()  # workers=auto: one per core".into(),
    };
    let count = words.count;
    let share = Words {
        count: "count",
        ..*words
    };
    let body = in_session(words, vec![gather(&share, words.coroutine)]);
    let text = format!(
        "async def gather_share(count):\n{}\n\n\ndef run_share(count):\n    asyncio.run(gather_share(count))  # one event loop per process\n\n\ndef pool_of_loops():\n    workers = {workers}\n    per_process = -(-{count} // workers)  # ceil({count} / workers) tasks each\n    shares = [min(per_process, {count} - i) for i in range(0, {count}, per_process)]\n    with multiprocessing.Pool(workers) as processes:\n        # Each process gathers its whole share at once.\n        processes.map(run_share, shares, chunksize=1)",
        indent(&body, 1)
    );
    Section {
        text,
        run: "pool_of_loops".into(),
        uses: on_loop(words, Word::Coroutine),
    }
}

/// The tasks on the loop, each handing its blocking calls to `executor`; when nothing
/// blocks, the tasks as they are.
fn handed(words: &Words, executor: &str, to: &str) -> (Vec<String>, Vec<Word>) {
    match words.offloaded {
        Some(call) => (
            vec![gather(words, &call.replace("{executor}", executor))],
            on_loop(words, Word::Offloaded),
        ),
        None => (
            vec![
                format!(
                    "# {}: nothing blocks, so nothing is handed to {to}.",
                    words.nothing_blocks
                ),
                gather(words, words.coroutine),
            ],
            on_loop(words, Word::Coroutine),
        ),
    }
}

/// `run_in_executor`: the tasks on the loop hand their blocking calls to the loop's default
/// thread pool (`None`).
pub fn run_in_executor(words: &Words) -> Section {
    let (body, uses) = handed(words, "None", "a thread");
    let body = in_session(words, body);
    Section {
        text: format!("async def run_in_executor():\n{}", indent(&body, 1)),
        run: "lambda: asyncio.run(run_in_executor())".into(),
        uses,
    }
}

/// `process_executor`: the tasks on the loop hand their blocking calls to a
/// `ProcessPoolExecutor`.
pub fn process_executor(words: &Words) -> Section {
    let (pool, note) = process_pool(words);
    let (body, uses) = handed(words, "processes", "a process");
    let mut lines: Vec<String> = (!note.is_empty())
        .then(|| note.to_string())
        .into_iter()
        .collect();
    lines.push(format!("with {pool} as processes:"));
    lines.extend(
        in_session(words, body)
            .into_iter()
            .map(|l| format!("    {l}")),
    );
    Section {
        text: format!("async def process_executor():\n{}", indent(&lines, 1)),
        run: "lambda: asyncio.run(process_executor())".into(),
        uses,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WORDS: Words = Words {
        count: "TASKS",
        coroutine: "ahello()",
        function: "hello",
        pool_task: "hello",
        map_note: "",
        offloaded: Some("offloaded_hello({executor})"),
        nothing_blocks: "sleep=async",
        sync: false,
        session: false,
        workers: Some(2),
    };

    #[test]
    fn a_session_wraps_the_tasks_of_every_section_on_the_loop() {
        let words = Words {
            coroutine: "ahello(session)",
            offloaded: Some("offloaded_hello(session, {executor})"),
            session: true,
            ..WORDS
        };
        assert_eq!(
            event_loop(&words).text,
            "async def event_loop():\n    async with client() as session:\n        await asyncio.gather(*[ahello(session) for _ in range(TASKS)])"
        );
        let processes = process_executor(&words);
        assert_eq!(
            processes.text,
            // Too long for one line of 79 columns: the gather goes on three, as Black writes it.
            "async def process_executor():\n    with concurrent.futures.ProcessPoolExecutor(2) as processes:\n        async with client() as session:\n            await asyncio.gather(\n                *[offloaded_hello(session, processes) for _ in range(TASKS)]\n            )"
        );
        assert_eq!(processes.uses, vec![Word::Offloaded, Word::Client]);
    }

    #[test]
    fn the_same_coroutine_hands_its_calls_to_threads_or_to_processes() {
        assert!(run_in_executor(&WORDS)
            .text
            .contains("offloaded_hello(None) for _ in range(TASKS)"));
        assert!(process_executor(&WORDS)
            .text
            .contains("offloaded_hello(processes) for _ in range(TASKS)"));
        let nothing = Words {
            offloaded: None,
            ..WORDS
        };
        let section = run_in_executor(&nothing);
        assert!(section
            .text
            .contains("# sleep=async: nothing blocks, so nothing is handed to a thread."));
        assert_eq!(section.uses, vec![Word::Coroutine]);
    }

    #[test]
    fn a_synchronous_program_calls_its_tasks_in_turn() {
        let cats = Words {
            function: "SyncCat().exists",
            sync: true,
            ..WORDS
        };
        let section = sequential(&cats);
        assert_eq!(section.run, "sequential");
        assert!(section.text.starts_with("def sequential():"));
        assert!(section.text.contains("SyncCat().exists()"));
    }

    #[test]
    fn workers_auto_is_one_process_per_core() {
        let auto = Words {
            workers: None,
            ..WORDS
        };
        assert!(pool(&auto)
            .text
            .contains("multiprocessing.Pool() as processes:  # Pool(): one process per core"));
        assert!(pool_of_loops(&auto).text.contains("os.cpu_count()"));
        assert!(process_executor(&auto).text.contains(
            "    # ProcessPoolExecutor(): one process per core\n    with concurrent.futures.ProcessPoolExecutor() as processes:"
        ));
    }
}
