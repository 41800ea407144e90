//! Await pitfalls: four mistakes, each with the Python, what Python says, the Rust analog,
//! what Rust says, and a live run where the page can make one.

use super::{LabBody, LabSpec};
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Waker};

/// What the page can run live for a case.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Live {
    /// Nothing: the reason, in a sentence.
    Nothing(&'static str),
    /// Calls an `async fn` without `.await`, then with it ([`forgotten_await`]).
    ForgottenAwait,
    /// Blocks the page's only thread for [`BLOCK_MS`] ms, as `time.sleep` in a coroutine does.
    BlockThePage,
}

/// One pitfall.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pitfall {
    /// A URL-safe id, for the section's anchor and tests.
    pub id: &'static str,
    /// The section's heading.
    pub title: &'static str,
    /// The Python that makes the mistake.
    pub python: &'static str,
    /// What CPython prints, as it prints it (a traceback's middle left out), for a file named
    /// `main.py`.
    pub python_says: &'static str,
    /// The same mistake in Rust.
    pub rust: &'static str,
    /// What the Rust compiler says (nothing, for a blocking call).
    pub rust_says: &'static str,
    /// The live run the page offers.
    pub live: Live,
}

/// How long the live run of a blocking sleep holds the page, ms.
pub const BLOCK_MS: f64 = 1000.0;

/// Every pitfall, in the page's order. Each Python snippet's output was checked with CPython
/// 3.11, 3.12 and 3.13; each Rust snippet's with rustc 1.95.
pub static PITFALLS: &[Pitfall] = &[
    Pitfall {
        id: "await-time-sleep",
        title: "Awaiting time.sleep",
        python: r#"import asyncio
import time


async def hello():
    print("hello")
    await time.sleep(1)
    print("goodbye")


asyncio.run(hello())"#,
        python_says: "hello\nTraceback (most recent call last):\n  ...\n    await time.sleep(1)\nTypeError: object NoneType can't be used in 'await' expression",
        rust: r#"async fn hello() {
    println!("hello");
    std::thread::sleep(Duration::from_secs(1)).await;
    println!("goodbye");
}"#,
        rust_says: "error[E0277]: `()` is not a future\n  |     std::thread::sleep(Duration::from_secs(1)).await;\n  |     ------------------------------------------ ^^^^^ `()` is not a future\n  = help: the trait `Future` is not implemented for `()`",
        live: Live::Nothing("No live run: Rust refuses to compile it, and this page runs Rust, not Python."),
    },
    Pitfall {
        id: "forgotten-await",
        title: "Forgetting await",
        python: r#"import asyncio


async def hello():
    print("hello")
    await asyncio.sleep(1)
    print("goodbye")


async def main():
    hello()  # no await


asyncio.run(main())"#,
        python_says: "main.py:11: RuntimeWarning: coroutine 'hello' was never awaited\n  hello()  # no await\nRuntimeWarning: Enable tracemalloc to get the object allocation traceback",
        rust: r#"async fn hello() {
    println!("hello");
}

async fn run() {
    hello(); // no .await
}"#,
        rust_says: "warning: unused implementer of `Future` that must be used\n  |     hello();\n  |     ^^^^^^^\n  = note: futures do nothing unless you `.await` or poll them",
        live: Live::ForgottenAwait,
    },
    Pitfall {
        id: "blocking-sleep",
        title: "A blocking sleep inside async def",
        python: r#"import asyncio
import time


async def hello():
    print("hello")
    time.sleep(1)  # blocks the event loop
    print("goodbye")


async def main():
    await asyncio.gather(hello(), hello())


asyncio.run(main())"#,
        python_says: "hello\ngoodbye\nhello\ngoodbye",
        rust: r#"async fn hello() {
    println!("hello");
    std::thread::sleep(Duration::from_secs(1)); // blocks the executor's thread
    println!("goodbye");
}"#,
        rust_says: "(nothing: it compiles without a warning, and Clippy's default lints say nothing either)",
        live: Live::BlockThePage,
    },
    Pitfall {
        id: "gather-generator",
        title: "asyncio.gather given a plain generator",
        python: r#"import asyncio


def hello():  # a generator, not a coroutine
    print("hello")
    yield
    print("goodbye")


async def main():
    await asyncio.gather(hello(), hello())


asyncio.run(main())"#,
        python_says: "Python 3.11:\nhello\nhello\ngoodbye\ngoodbye\n\nPython 3.12 and later:\nTraceback (most recent call last):\n  ...\nTypeError: An asyncio.Future, a coroutine or an awaitable is required",
        rust: r#"fn gather<A: Future, B: Future>(a: A, b: B) -> (A, B) {
    (a, b)
}

fn hello() -> impl Iterator<Item = ()> {
    std::iter::once(())
}

gather(hello(), hello());"#,
        rust_says: "error[E0277]: `impl Iterator<Item = ()>` is not a future\n  |     gather(hello(), hello());\n  |     ------ ^^^^^^^ `impl Iterator<Item = ()>` is not a future\n  = help: the trait `Future` is not implemented for `impl Iterator<Item = ()>`",
        live: Live::Nothing("No live run: Rust refuses to compile it, and this page runs Rust, not Python."),
    },
];

/// What the live run of a forgotten `.await` printed: nothing without `.await`, `hello`
/// with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ForgottenAwait {
    /// Lines printed by `hello()` called and dropped without `.await`.
    pub without_await: Vec<&'static str>,
    /// Lines printed by `hello()` polled to its end.
    pub with_await: Vec<&'static str>,
}

/// Calls a real `async fn hello()` twice: once dropped unpolled, as a forgotten `.await`
/// leaves it, once polled to its end, as `.await` does.
pub fn forgotten_await() -> ForgottenAwait {
    async fn hello(printed: &mut Vec<&'static str>) {
        printed.push("hello");
    }
    let mut without_await = Vec::new();
    #[allow(clippy::let_underscore_future)] // the point: a future nobody polls
    let _ = hello(&mut without_await);
    let mut with_await = Vec::new();
    {
        let future = pin!(hello(&mut with_await));
        // `hello` never waits, so one poll runs it to its end.
        let _ = future.poll(&mut Context::from_waker(Waker::noop()));
    }
    ForgottenAwait {
        without_await,
        with_await,
    }
}

/// The `pitfalls` lab.
pub const LAB: LabSpec = LabSpec {
    id: "pitfalls",
    title: "Await pitfalls",
    summary: "Awaiting a blocking call, forgetting to await, blocking sleep inside async, gather given a generator: what each does.",
    question: "Four mistakes that look harmless in async code: what does each one really do?",
    section: "All",
    body: LabBody::Cases,
    params: &[],
    executors: &[],
    default_executors: &[],
    python: None,
    article: "",
    article_ms: &[],
    workload: None,
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_future_nobody_awaits_does_nothing_and_an_awaited_one_runs() {
        let run = forgotten_await();
        assert!(run.without_await.is_empty());
        assert_eq!(run.with_await, ["hello"]);
    }

    #[test]
    fn each_case_says_the_error_text_python_and_rust_print() {
        let says = |id: &str| PITFALLS.iter().find(|p| p.id == id).unwrap();
        assert!(says("await-time-sleep")
            .python_says
            .ends_with("TypeError: object NoneType can't be used in 'await' expression"));
        assert!(says("forgotten-await")
            .python_says
            .contains(": RuntimeWarning: coroutine 'hello' was never awaited\n"));
        assert!(says("forgotten-await")
            .rust_says
            .contains("futures do nothing unless you `.await` or poll them"));
        assert!(says("gather-generator")
            .python_says
            .ends_with("TypeError: An asyncio.Future, a coroutine or an awaitable is required"));
        assert_eq!(says("blocking-sleep").live, Live::BlockThePage);
    }

    #[test]
    fn ids_are_unique_and_url_safe() {
        for (i, p) in PITFALLS.iter().enumerate() {
            assert!(p.id.chars().all(|c| c.is_ascii_lowercase() || c == '-'));
            assert!(PITFALLS[i + 1..].iter().all(|q| q.id != p.id));
        }
    }
}
