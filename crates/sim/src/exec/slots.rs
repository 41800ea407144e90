//! A client's connections: at most so many requests in flight at once, the rest wait in
//! order. One `aiohttp.ClientSession` does this with its connector's `limit` (100 by
//! default); an async run on the page keeps to the same limit, so where the browser's own
//! per-host limit does not apply (the simulated network) the client's shows, as in CPython.
//!
//! Single-threaded (a page or a worker runs one event loop), so a `Cell` and a queue of
//! wakers are all it takes.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

/// The connections of one client.
#[derive(Debug)]
pub struct Slots {
    free: Cell<u32>,
    /// Requests waiting for a connection, oldest first, each with the flag it sets when a
    /// connection is handed to it.
    waiting: RefCell<VecDeque<(Rc<Cell<bool>>, Waker)>>,
}

impl Slots {
    /// A client that keeps at most `limit` requests in flight.
    pub fn new(limit: u32) -> Slots {
        Slots {
            free: Cell::new(limit.max(1)),
            waiting: RefCell::new(VecDeque::new()),
        }
    }

    /// Waits for a connection; it is given back when the permit drops.
    pub fn acquire(&self) -> Acquire<'_> {
        Acquire {
            slots: self,
            granted: None,
        }
    }

    fn release(&self) {
        // Hand the connection straight to the oldest waiter that is still waiting.
        while let Some((granted, waker)) = self.waiting.borrow_mut().pop_front() {
            if Rc::strong_count(&granted) > 1 {
                granted.set(true);
                waker.wake();
                return;
            }
        }
        self.free.set(self.free.get() + 1);
    }
}

/// A request's wait for a connection.
pub struct Acquire<'a> {
    slots: &'a Slots,
    granted: Option<Rc<Cell<bool>>>,
}

impl<'a> Future for Acquire<'a> {
    type Output = Permit<'a>;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Permit<'a>> {
        let slots = self.slots;
        match &self.granted {
            Some(granted) if granted.get() => {
                self.granted = None;
                Poll::Ready(Permit { slots })
            }
            Some(granted) => {
                // Still waiting: keep the newest waker.
                let granted = granted.clone();
                let mut waiting = slots.waiting.borrow_mut();
                if let Some(entry) = waiting.iter_mut().find(|(g, _)| Rc::ptr_eq(g, &granted)) {
                    entry.1 = cx.waker().clone();
                }
                Poll::Pending
            }
            None if slots.free.get() > 0 => {
                slots.free.set(slots.free.get() - 1);
                Poll::Ready(Permit { slots })
            }
            None => {
                let granted = Rc::new(Cell::new(false));
                slots
                    .waiting
                    .borrow_mut()
                    .push_back((granted.clone(), cx.waker().clone()));
                self.granted = Some(granted);
                Poll::Pending
            }
        }
    }
}

impl Drop for Acquire<'_> {
    fn drop(&mut self) {
        // Dropped after a connection was handed to it but before it took it: give it back.
        if let Some(granted) = self.granted.take() {
            if granted.get() {
                self.slots.release();
            }
        }
    }
}

/// A connection in use; dropping it frees the connection for the next request.
pub struct Permit<'a> {
    slots: &'a Slots,
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        self.slots.release();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::task::noop_waker;

    fn poll<F: Future + Unpin>(f: &mut F) -> Poll<F::Output> {
        let waker = noop_waker();
        Pin::new(f).poll(&mut Context::from_waker(&waker))
    }

    #[test]
    fn at_most_the_limit_in_flight_the_rest_wait_in_order() {
        let slots = Slots::new(2);
        let mut a = slots.acquire();
        let mut b = slots.acquire();
        let mut c = slots.acquire();
        let mut d = slots.acquire();
        let pa = match poll(&mut a) {
            Poll::Ready(p) => p,
            Poll::Pending => panic!("a"),
        };
        let pb = poll(&mut b);
        assert!(pb.is_ready());
        assert!(poll(&mut c).is_pending());
        assert!(poll(&mut d).is_pending());
        drop(pa);
        // The oldest waiter gets the connection, the next keeps waiting.
        let pc = poll(&mut c);
        assert!(pc.is_ready());
        assert!(poll(&mut d).is_pending());
        drop((pb, pc));
        assert!(poll(&mut d).is_ready());
    }

    #[test]
    fn a_waiter_dropped_before_its_turn_loses_nothing() {
        let slots = Slots::new(1);
        let mut a = slots.acquire();
        let pa = match poll(&mut a) {
            Poll::Ready(p) => p,
            Poll::Pending => panic!(),
        };
        let mut b = slots.acquire();
        assert!(poll(&mut b).is_pending());
        let mut c = slots.acquire();
        assert!(poll(&mut c).is_pending());
        drop(b); // a stopped task: its wait ends
        drop(pa);
        assert!(poll(&mut c).is_ready());
        drop(c);
        // Handed to c and dropped with it: free again.
        assert_eq!(slots.free.get(), 1);
    }

    #[test]
    fn a_connection_handed_over_but_never_taken_comes_back() {
        let slots = Slots::new(1);
        let mut a = slots.acquire();
        let pa = match poll(&mut a) {
            Poll::Ready(p) => p,
            Poll::Pending => panic!(),
        };
        let mut b = slots.acquire();
        assert!(poll(&mut b).is_pending());
        drop(pa); // handed to b
        drop(b); // b is dropped before it is polled again
        assert_eq!(slots.free.get(), 1);
    }
}
