//! The GIL and the thread pool of `run_in_executor`, as fair queues over one thread's tasks.
//!
//! Each "thread" is a future on the interpreter worker's event loop. Only the thread holding
//! the [`Gil`] runs Python; the others wait in line. CPython promises no order among waiting
//! threads: this model hands the GIL to the longest-waiting one (first in, first out).

use std::cell::RefCell;
use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

#[derive(Debug, Default)]
struct GilState {
    holder: Option<u32>,
    /// Waiting threads, longest-waiting first, with the waker of each and when it began to
    /// wait.
    queue: VecDeque<(u32, Option<Waker>, f64)>,
}

/// The global interpreter lock of one interpreter (or, free-threaded, one core).
#[derive(Debug, Default)]
pub struct Gil {
    state: RefCell<GilState>,
}

impl Gil {
    /// A free GIL.
    pub fn new() -> Self {
        Self::default()
    }

    /// Takes the GIL for `thread` if nobody holds it or waits for it; returns whether it did.
    pub fn try_take(&self, thread: u32) -> bool {
        let mut state = self.state.borrow_mut();
        if state.holder.is_none() && state.queue.is_empty() {
            state.holder = Some(thread);
            true
        } else {
            state.holder == Some(thread)
        }
    }

    /// Waits in line, from `now_ms` on, until the GIL is handed to `thread`.
    pub fn acquire(&self, thread: u32, now_ms: f64) -> Acquire<'_> {
        Acquire {
            gil: self,
            thread,
            since_ms: now_ms,
            queued: false,
        }
    }

    /// Since when the longest-waiting thread waits, if one does.
    pub fn waiting_since(&self) -> Option<f64> {
        self.state
            .borrow()
            .queue
            .front()
            .map(|(_, _, since)| *since)
    }

    /// `thread` lets the GIL go: it goes at once to the longest-waiting thread, if any.
    pub fn release(&self, thread: u32) {
        let waker = {
            let mut state = self.state.borrow_mut();
            if state.holder != Some(thread) {
                return;
            }
            match state.queue.pop_front() {
                Some((next, waker, _)) => {
                    state.holder = Some(next);
                    waker
                }
                None => {
                    state.holder = None;
                    None
                }
            }
        };
        if let Some(waker) = waker {
            waker.wake();
        }
    }

    /// Whether a thread waits for the GIL (the holder then switches at its next slice end).
    pub fn has_waiters(&self) -> bool {
        !self.state.borrow().queue.is_empty()
    }

    /// Who holds it.
    pub fn holder(&self) -> Option<u32> {
        self.state.borrow().holder
    }
}

/// A thread waiting in line for the GIL. Dropping it leaves the line.
#[derive(Debug)]
pub struct Acquire<'a> {
    gil: &'a Gil,
    thread: u32,
    since_ms: f64,
    queued: bool,
}

impl Future for Acquire<'_> {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let thread = self.thread;
        let mut state = self.gil.state.borrow_mut();
        if state.holder == Some(thread) {
            self.queued = false;
            return Poll::Ready(());
        }
        if !self.queued && state.holder.is_none() && state.queue.is_empty() {
            state.holder = Some(thread);
            return Poll::Ready(());
        }
        match state.queue.iter_mut().find(|(t, _, _)| *t == thread) {
            Some((_, waker, _)) => *waker = Some(cx.waker().clone()),
            None => state
                .queue
                .push_back((thread, Some(cx.waker().clone()), self.since_ms)),
        }
        drop(state);
        self.queued = true;
        Poll::Pending
    }
}

impl Drop for Acquire<'_> {
    fn drop(&mut self) {
        if !self.queued {
            return;
        }
        let handed = {
            let mut state = self.gil.state.borrow_mut();
            state.queue.retain(|(t, _, _)| *t != self.thread);
            state.holder == Some(self.thread)
        };
        // Handed over just as the waiter went away: pass it on.
        if handed {
            self.gil.release(self.thread);
        }
    }
}

#[derive(Debug)]
struct PoolState {
    free: Vec<bool>,
    queue: VecDeque<(u64, Option<Waker>)>,
    next_ticket: u64,
}

/// The threads of `loop.run_in_executor(None, ...)`: a fixed number, each running one call at
/// a time; calls beyond them wait in line.
#[derive(Debug)]
pub struct ThreadPool {
    state: RefCell<PoolState>,
}

impl ThreadPool {
    /// A pool of `threads` threads, all free.
    pub fn new(threads: u32) -> Self {
        ThreadPool {
            state: RefCell::new(PoolState {
                free: vec![true; threads.max(1) as usize],
                queue: VecDeque::new(),
                next_ticket: 0,
            }),
        }
    }

    /// How many threads it has.
    pub fn size(&self) -> u32 {
        self.state.borrow().free.len() as u32
    }

    /// Waits for a free thread; resolves to its index (0-based).
    pub async fn take(&self) -> u32 {
        let ticket = {
            let mut state = self.state.borrow_mut();
            state.next_ticket += 1;
            state.next_ticket
        };
        TakeThread {
            pool: self,
            ticket,
            queued: false,
        }
        .await
    }

    /// Thread `index` is free again; the longest-waiting call is woken to take it.
    pub fn give_back(&self, index: u32) {
        let waker = {
            let mut state = self.state.borrow_mut();
            if let Some(slot) = state.free.get_mut(index as usize) {
                *slot = true;
            }
            state.queue.front_mut().and_then(|(_, waker)| waker.take())
        };
        if let Some(waker) = waker {
            waker.wake();
        }
    }
}

struct TakeThread<'a> {
    pool: &'a ThreadPool,
    ticket: u64,
    queued: bool,
}

impl Future for TakeThread<'_> {
    type Output = u32;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<u32> {
        let ticket = self.ticket;
        let mut state = self.pool.state.borrow_mut();
        let first_in_line = state.queue.front().is_none_or(|(t, _)| *t == ticket);
        if first_in_line {
            if let Some(index) = state.free.iter().position(|free| *free) {
                state.free[index] = false;
                if self.queued {
                    state.queue.pop_front();
                    // The next in line may find another free thread.
                    if let Some(waker) = state.queue.front_mut().and_then(|(_, w)| w.take()) {
                        waker.wake();
                    }
                }
                self.queued = false;
                return Poll::Ready(index as u32);
            }
        }
        match state.queue.iter_mut().find(|(t, _)| *t == ticket) {
            Some((_, waker)) => *waker = Some(cx.waker().clone()),
            None => state.queue.push_back((ticket, Some(cx.waker().clone()))),
        }
        drop(state);
        self.queued = true;
        Poll::Pending
    }
}

impl Drop for TakeThread<'_> {
    fn drop(&mut self) {
        if self.queued {
            let mut state = self.pool.state.borrow_mut();
            state.queue.retain(|(t, _)| *t != self.ticket);
            if let Some(waker) = state.queue.front_mut().and_then(|(_, w)| w.take()) {
                drop(state);
                waker.wake();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::FutureExt;

    #[test]
    fn the_gil_goes_to_the_longest_waiting_thread() {
        let gil = Gil::new();
        assert!(gil.try_take(1));
        let mut second = Box::pin(gil.acquire(2, 10.0));
        let mut third = Box::pin(gil.acquire(3, 12.0));
        assert!(second.as_mut().now_or_never().is_none());
        assert!(third.as_mut().now_or_never().is_none());
        assert!(gil.has_waiters());
        assert_eq!(gil.waiting_since(), Some(10.0));
        gil.release(1);
        assert_eq!(gil.holder(), Some(2));
        assert!(second.as_mut().now_or_never().is_some());
        assert!(!gil.try_take(3), "3 still waits in line");
        gil.release(2);
        assert!(third.as_mut().now_or_never().is_some());
        gil.release(3);
        assert_eq!(gil.holder(), None);
    }

    #[test]
    fn a_waiter_that_goes_away_leaves_the_line() {
        let gil = Gil::new();
        assert!(gil.try_take(1));
        let mut second = Box::pin(gil.acquire(2, 0.0));
        assert!(second.as_mut().now_or_never().is_none());
        drop(second);
        assert!(!gil.has_waiters());
        gil.release(1);
        assert_eq!(gil.holder(), None);
    }

    #[test]
    fn a_pool_runs_as_many_calls_as_it_has_threads() {
        let pool = ThreadPool::new(2);
        let a = pool.take().now_or_never();
        let b = pool.take().now_or_never();
        assert_eq!((a, b), (Some(0), Some(1)));
        let mut third = Box::pin(pool.take());
        assert!(third.as_mut().now_or_never().is_none());
        pool.give_back(1);
        assert_eq!(third.as_mut().now_or_never(), Some(1));
        assert_eq!(pool.size(), 2);
    }
}
