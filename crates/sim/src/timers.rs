//! A deadline queue: many sleepers, one timer.
//!
//! The browser edge arms a single `setTimeout` for [`DeadlineQueue::next_deadline`] instead of
//! one per sleeping task. Sleepers due in the same millisecond share a bucket (a timer wheel
//! of one-millisecond slots; the slots in use sit in a deque in deadline order, and a new
//! deadline is almost always in the last one or after it), so a million sleeps cost a push
//! onto a vector each: no heap reordering, no hashing. Payloads live in a
//! slab whose slots are reused; a cancelled entry stays in its bucket, marked dead by its
//! slot's generation, and is skipped when its bucket comes due.
//! The native tests' virtual-time runtime uses the same queue.

use std::collections::VecDeque;

/// Names one entry of a [`DeadlineQueue`], to cancel it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TimerId {
    slot: u32,
    generation: u32,
}

/// One deadline in a bucket: 16 bytes.
#[derive(Clone, Copy, Debug)]
struct Entry {
    deadline_ms: f64,
    slot: u32,
    generation: u32,
}

impl Entry {
    /// Whether this entry's sleeper still waits: its slot holds a payload of its generation.
    fn is_live<W>(&self, slots: &[Slot<W>]) -> bool {
        let slot = &slots[self.slot as usize];
        slot.generation == self.generation && slot.payload.is_some()
    }
}

/// The entries due within one millisecond, in push order until first read.
#[derive(Debug, Default)]
struct Bucket {
    entries: Vec<Entry>,
    /// Entries before this index are gone (fired, or skipped as dead).
    head: usize,
    /// Whether `entries[head..]` is in deadline order (pushes usually come in that order).
    sorted: bool,
}

impl Bucket {
    fn with(entry: Entry) -> Bucket {
        Bucket {
            entries: vec![entry],
            head: 0,
            sorted: true,
        }
    }

    fn push(&mut self, entry: Entry) {
        if self.entries.len() == self.head {
            self.sorted = true;
        } else if let Some(last) = self.entries.last() {
            self.sorted &= last.deadline_ms <= entry.deadline_ms;
        }
        self.entries.push(entry);
    }

    /// Puts the waiting entries in deadline order (ties keep their push order).
    fn sort(&mut self) {
        if !self.sorted {
            // The core's one stable sort (`order_by`), not a copy of the library's for
            // entries; the entries before `head` are gone, so they go.
            let waiting = self.entries.split_off(self.head);
            self.entries = crate::order::sorted_by(waiting, |e| e.deadline_ms);
            self.head = 0;
            self.sorted = true;
        }
    }
}

#[derive(Debug)]
struct Slot<W> {
    payload: Option<W>,
    generation: u32,
}

/// Payloads (wakers) waiting for deadlines on one clock.
#[derive(Debug)]
pub struct DeadlineQueue<W> {
    /// The buckets in use, earliest first: bucket `t` holds the deadlines in `(t - 1, t]` ms.
    buckets: VecDeque<(i64, Bucket)>,
    slots: Vec<Slot<W>>,
    free: Vec<u32>,
    live: usize,
}

impl<W> Default for DeadlineQueue<W> {
    fn default() -> Self {
        DeadlineQueue {
            buckets: VecDeque::new(),
            slots: Vec::new(),
            free: Vec::new(),
            live: 0,
        }
    }
}

/// The first live deadline of `bucket`, once sorted, skipping (and dropping) dead entries.
fn first_live<W>(bucket: &mut Bucket, slots: &[Slot<W>]) -> Option<f64> {
    bucket.sort();
    while let Some(entry) = bucket.entries.get(bucket.head) {
        if entry.is_live(slots) {
            return Some(entry.deadline_ms);
        }
        bucket.head += 1;
    }
    None
}

/// The bucket of `deadline_ms`: the first whole millisecond at or after it.
fn tick(deadline_ms: f64) -> i64 {
    // Saturating: a NaN or infinite deadline lands in the first or last bucket.
    deadline_ms.ceil() as i64
}

impl<W> DeadlineQueue<W> {
    /// An empty queue.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty queue with room for `n` sleepers.
    pub fn with_capacity(n: usize) -> Self {
        DeadlineQueue {
            slots: Vec::with_capacity(n),
            ..Self::default()
        }
    }

    /// Adds `payload`, due at `deadline_ms`.
    pub fn push(&mut self, deadline_ms: f64, payload: W) -> TimerId {
        let slot = match self.free.pop() {
            Some(slot) => {
                self.slots[slot as usize].payload = Some(payload);
                slot
            }
            None => {
                let slot = u32::try_from(self.slots.len()).expect("fewer than 2^32 sleepers");
                self.slots.push(Slot {
                    payload: Some(payload),
                    generation: 0,
                });
                slot
            }
        };
        let generation = self.slots[slot as usize].generation;
        let entry = Entry {
            deadline_ms,
            slot,
            generation,
        };
        let tick = tick(deadline_ms);
        match self.buckets.back_mut() {
            // Tasks started together: the same bucket as the last push.
            Some((last, bucket)) if *last == tick => bucket.push(entry),
            Some((last, _)) if *last > tick => {
                let at = self.buckets.partition_point(|(t, _)| *t < tick);
                match self.buckets.get_mut(at) {
                    Some((t, bucket)) if *t == tick => bucket.push(entry),
                    _ => self.buckets.insert(at, (tick, Bucket::with(entry))),
                }
            }
            _ => self.buckets.push_back((tick, Bucket::with(entry))),
        }
        self.live += 1;
        TimerId { slot, generation }
    }

    /// The slot of `id` if it is still waiting.
    fn slot_mut(&mut self, id: TimerId) -> Option<&mut Slot<W>> {
        self.slots
            .get_mut(id.slot as usize)
            .filter(|s| s.generation == id.generation && s.payload.is_some())
    }

    /// Replaces the payload of a pending entry (a re-polled future's new waker).
    pub fn update(&mut self, id: TimerId, payload: W) -> bool {
        match self.slot_mut(id) {
            Some(slot) => {
                slot.payload = Some(payload);
                true
            }
            None => false,
        }
    }

    /// Empties a waiting slot and frees it for reuse: its bucket entry is dead from now on.
    fn take(&mut self, slot: u32) -> Option<W> {
        let s = &mut self.slots[slot as usize];
        let payload = s.payload.take()?;
        s.generation = s.generation.wrapping_add(1);
        self.free.push(slot);
        self.live -= 1;
        Some(payload)
    }

    /// Forgets a pending entry (its sleeper was dropped).
    pub fn cancel(&mut self, id: TimerId) {
        if self.slot_mut(id).is_some() {
            self.take(id.slot);
        }
        if self.live == 0 {
            // Nothing live: drop the dead entries so no timer stays armed for them.
            self.buckets.clear();
        }
    }

    /// How many entries are waiting.
    pub fn len(&self) -> usize {
        self.live
    }

    /// Whether nothing is waiting.
    pub fn is_empty(&self) -> bool {
        self.live == 0
    }

    /// The earliest deadline still waiting.
    pub fn next_deadline(&mut self) -> Option<f64> {
        while let Some((_, first)) = self.buckets.front_mut() {
            if let Some(deadline) = first_live(first, &self.slots) {
                return Some(deadline);
            }
            self.buckets.pop_front();
        }
        None
    }

    /// Removes and returns every payload due at `now_ms`, earliest first.
    pub fn pop_due(&mut self, now_ms: f64) -> Vec<W> {
        let mut due = Vec::new();
        while let Some((tick, first)) = self.buckets.front_mut() {
            first.sort();
            let from = first.head;
            // A bucket whose millisecond has passed fires whole; the bucket of this millisecond,
            // only its deadlines up to `now_ms`.
            let until = if (*tick as f64) <= now_ms {
                first.entries.len()
            } else {
                from + first.entries[from..].partition_point(|e| e.deadline_ms <= now_ms)
            };
            let whole = until == first.entries.len();
            let (fired, skip) = if whole {
                let (_, bucket) = self.buckets.pop_front().expect("a first bucket");
                (bucket.entries, from)
            } else {
                first.head = until;
                (first.entries[from..until].to_vec(), 0)
            };
            for entry in &fired[skip..] {
                if entry.is_live(&self.slots) {
                    due.extend(self.take(entry.slot));
                }
            }
            if !whole {
                break;
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
    fn deadlines_within_one_millisecond_pop_in_deadline_order_never_early() {
        let mut q = DeadlineQueue::new();
        // Pushed out of order into the bucket of 11 ms.
        q.push(10.9, "c");
        q.push(10.2, "a");
        q.push(10.5, "b");
        q.push(10.5, "b2");
        assert_eq!(q.next_deadline(), Some(10.2));
        assert_eq!(q.pop_due(10.1), Vec::<&str>::new());
        assert_eq!(q.pop_due(10.5), vec!["a", "b", "b2"]);
        assert_eq!(q.next_deadline(), Some(10.9));
        // A deadline pushed into the half-fired bucket while it fires.
        q.push(10.6, "late");
        assert_eq!(q.pop_due(10.6), vec!["late"]);
        assert_eq!(q.pop_due(11.0), vec!["c"]);
        assert!(q.is_empty());
    }

    #[test]
    fn the_next_deadline_is_right_after_every_push_as_the_page_reads_it() {
        let mut q = DeadlineQueue::new();
        let mut ids = Vec::new();
        for (deadline, want) in [
            (20.5, 20.5),
            (20.2, 20.2),
            (30.0, 20.2),
            (5.0, 5.0),
            (5.5, 5.0),
        ] {
            ids.push(q.push(deadline, deadline));
            assert_eq!(q.next_deadline(), Some(want), "after pushing {deadline}");
        }
        q.cancel(ids[3]);
        assert_eq!(q.next_deadline(), Some(5.5));
        q.cancel(ids[4]);
        assert_eq!(q.next_deadline(), Some(20.2));
        assert_eq!(q.pop_due(25.0), vec![20.2, 20.5]);
        assert_eq!(q.next_deadline(), Some(30.0));
    }

    #[test]
    fn a_deadline_pushed_after_a_fire_that_is_already_due_fires_next() {
        let mut q = DeadlineQueue::new();
        q.push(5.0, 1);
        assert_eq!(q.pop_due(7.0), vec![1]);
        // A waker woken at 7 ms sleeps 0 ms: it is due at once, in a bucket already passed.
        q.push(7.0, 2);
        q.push(3.0, 3);
        assert_eq!(q.next_deadline(), Some(3.0));
        assert_eq!(q.pop_due(7.0), vec![3, 2]);
    }

    #[test]
    fn a_stale_id_cancels_nothing_once_its_slot_is_reused() {
        let mut q = DeadlineQueue::new();
        let old = q.push(10.0, "old");
        let keep = q.push(50.0, "keep");
        assert_eq!(q.pop_due(10.0), vec!["old"]);
        let new = q.push(20.0, "new");
        assert_ne!(old, new);
        q.cancel(old);
        assert!(!q.update(old, "ghost"));
        assert_eq!(q.len(), 2);
        assert!(q.update(new, "new2"));
        q.cancel(keep);
        assert_eq!(q.pop_due(100.0), vec!["new2"]);
        assert!(q.is_empty());
    }

    #[test]
    fn cancelling_in_a_crowded_bucket_skips_only_those_entries() {
        let mut q = DeadlineQueue::new();
        let ids: Vec<TimerId> = (0..10u32).map(|i| q.push(100.0, i)).collect();
        for id in ids.iter().step_by(2) {
            q.cancel(*id);
        }
        assert_eq!(q.len(), 5);
        assert_eq!(q.pop_due(100.0), vec![1, 3, 5, 7, 9]);
        assert_eq!(q.next_deadline(), None);
    }

    #[test]
    fn ten_million_sleepers_wake_in_order_and_leave_nothing() {
        // The sleep lab's shape: deadlines spread over a second of spawning, each task one id.
        const N: u32 = 10_000_000;
        let mut q = DeadlineQueue::with_capacity(N as usize);
        for i in 0..N {
            q.push(1000.0 + f64::from(i) / 10_000.0, i);
        }
        assert_eq!(q.len(), N as usize);
        assert_eq!(q.next_deadline(), Some(1000.0));
        let mut woken = 0u32;
        let mut t = 1000.0;
        while !q.is_empty() {
            t += 4.0; // a re-armed setTimeout chain fires about every 4 ms
            for task in q.pop_due(t) {
                assert_eq!(task, woken, "woke in deadline order");
                woken += 1;
            }
        }
        assert_eq!(woken, N);
        assert_eq!(q.next_deadline(), None);
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
