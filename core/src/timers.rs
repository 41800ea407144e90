//! A deadline queue: many sleepers, one timer.
//!
//! The browser edge arms a single `setTimeout` for [`DeadlineQueue::next_deadline`] instead of
//! one per sleeping task: a million sleeps then cost a heap push each, not a browser timer each.
//! The native tests' virtual-time runtime uses the same queue.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap};

/// Names one entry of a [`DeadlineQueue`], to cancel it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TimerId(u64);

#[derive(Debug)]
struct Entry {
    deadline_ms: f64,
    id: u64,
}

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Entry {}
impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Entry {
    // Reversed, so the max-heap pops the earliest deadline first (ties: first pushed first).
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .deadline_ms
            .total_cmp(&self.deadline_ms)
            .then_with(|| other.id.cmp(&self.id))
    }
}

/// Payloads (wakers) waiting for deadlines on one clock.
#[derive(Debug)]
pub struct DeadlineQueue<W> {
    heap: BinaryHeap<Entry>,
    live: HashMap<u64, W>,
    next_id: u64,
}

impl<W> Default for DeadlineQueue<W> {
    fn default() -> Self {
        DeadlineQueue {
            heap: BinaryHeap::new(),
            live: HashMap::new(),
            next_id: 0,
        }
    }
}

impl<W> DeadlineQueue<W> {
    /// An empty queue.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `payload`, due at `deadline_ms`.
    pub fn push(&mut self, deadline_ms: f64, payload: W) -> TimerId {
        let id = self.next_id;
        self.next_id += 1;
        self.heap.push(Entry { deadline_ms, id });
        self.live.insert(id, payload);
        TimerId(id)
    }

    /// Replaces the payload of a pending entry (a re-polled future's new waker).
    pub fn update(&mut self, id: TimerId, payload: W) -> bool {
        match self.live.get_mut(&id.0) {
            Some(slot) => {
                *slot = payload;
                true
            }
            None => false,
        }
    }

    /// Forgets a pending entry (its sleeper was dropped).
    pub fn cancel(&mut self, id: TimerId) {
        self.live.remove(&id.0);
        if self.live.is_empty() {
            // Nothing live: drop the stale entries so no timer stays armed for them.
            self.heap.clear();
        }
    }

    /// How many entries are waiting.
    pub fn len(&self) -> usize {
        self.live.len()
    }

    /// Whether nothing is waiting.
    pub fn is_empty(&self) -> bool {
        self.live.is_empty()
    }

    /// The earliest deadline still waiting.
    pub fn next_deadline(&mut self) -> Option<f64> {
        while let Some(head) = self.heap.peek() {
            if self.live.contains_key(&head.id) {
                return Some(head.deadline_ms);
            }
            self.heap.pop();
        }
        None
    }

    /// Removes and returns every payload due at `now_ms`, earliest first.
    pub fn pop_due(&mut self, now_ms: f64) -> Vec<W> {
        let mut due = Vec::new();
        while let Some(head) = self.heap.peek() {
            if head.deadline_ms > now_ms {
                break;
            }
            let id = head.id;
            self.heap.pop();
            if let Some(payload) = self.live.remove(&id) {
                due.push(payload);
            }
        }
        due
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pops_in_deadline_order_then_push_order() {
        let mut q = DeadlineQueue::new();
        q.push(30.0, "c");
        q.push(10.0, "a");
        q.push(10.0, "b");
        assert_eq!(q.next_deadline(), Some(10.0));
        assert_eq!(q.pop_due(5.0), Vec::<&str>::new());
        assert_eq!(q.pop_due(10.0), vec!["a", "b"]);
        assert_eq!(q.pop_due(100.0), vec!["c"]);
        assert!(q.is_empty());
        assert_eq!(q.next_deadline(), None);
    }

    #[test]
    fn cancelled_entries_never_fire_and_release_the_timer() {
        let mut q = DeadlineQueue::new();
        let a = q.push(10.0, "a");
        let b = q.push(20.0, "b");
        q.cancel(a);
        assert_eq!(q.next_deadline(), Some(20.0));
        q.cancel(b);
        assert_eq!(q.next_deadline(), None);
        assert_eq!(q.pop_due(100.0), Vec::<&str>::new());
    }

    #[test]
    fn many_entries_pop_in_order() {
        let mut q = DeadlineQueue::new();
        for i in 0..200_000u32 {
            q.push(f64::from(i % 1000), i);
        }
        let due = q.pop_due(499.0);
        assert_eq!(due.len(), 100_000);
        assert_eq!(q.next_deadline(), Some(500.0));
    }
}

/// Where a [`Sleep`] keeps its deadline: a clock and a queue of wakers.
///
/// The browser edge implements it over `performance.now()` and one `setTimeout`; the native
/// tests over a virtual clock.
pub trait TimerHost: Clone {
    /// The clock, in ms.
    fn now_ms(&self) -> f64;
    /// Runs `f` on the queue of sleepers.
    fn with_queue<T>(&self, f: impl FnOnce(&mut DeadlineQueue<std::task::Waker>) -> T) -> T;
    /// The earliest deadline may have changed: re-arm the real timer if there is one.
    fn queue_changed(&self);
}

/// A future that completes once `ms` have passed on its host's clock. Even `ms = 0` yields
/// once, as `asyncio.sleep(0)` does.
#[derive(Debug)]
pub struct Sleep<H: TimerHost> {
    host: H,
    ms: f64,
    id: Option<TimerId>,
}

impl<H: TimerHost> Sleep<H> {
    /// A sleep of `ms` that starts counting when first polled.
    pub fn new(host: H, ms: f64) -> Self {
        Sleep {
            host,
            ms: ms.max(0.0),
            id: None,
        }
    }
}

// A sleep holds no self-references: moving it after a poll is fine.
impl<H: TimerHost> Unpin for Sleep<H> {}

impl<H: TimerHost> std::future::Future for Sleep<H> {
    type Output = ();

    fn poll(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<()> {
        let this = self.get_mut();
        match this.id {
            Some(id) => {
                let waker = cx.waker().clone();
                if this.host.with_queue(|q| q.update(id, waker)) {
                    std::task::Poll::Pending
                } else {
                    this.id = None;
                    this.ms = f64::NAN; // done: never registers again
                    std::task::Poll::Ready(())
                }
            }
            None if this.ms.is_nan() => std::task::Poll::Ready(()),
            None => {
                let deadline = this.host.now_ms() + this.ms;
                let waker = cx.waker().clone();
                let id = this.host.with_queue(|q| q.push(deadline, waker));
                this.id = Some(id);
                this.host.queue_changed();
                std::task::Poll::Pending
            }
        }
    }
}

impl<H: TimerHost> Drop for Sleep<H> {
    fn drop(&mut self) {
        if let Some(id) = self.id.take() {
            self.host.with_queue(|q| q.cancel(id));
            self.host.queue_changed();
        }
    }
}
