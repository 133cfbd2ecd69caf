package io.silt.storage.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.silt.storage.CreateResult;
import io.silt.storage.FaultInjectingObjectStore;
import io.silt.storage.ForwardingObjectStore;
import io.silt.storage.InMemoryObjectStore;
import io.silt.storage.ObjectInfo;
import io.silt.storage.ObjectStore;
import io.silt.storage.StoreUnavailableException;
import io.silt.storage.testing.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/** The compactor lease (DESIGN rule 6, RFC 0008), with a manual clock: nothing sleeps. */
class CompactorLeaseTest {
    private static final Duration DURATION = Duration.ofMinutes(2);
    private static final Duration MARGIN = Duration.ofSeconds(20);

    private final ManualClock clock = new ManualClock();
    private final InMemoryObjectStore store = new InMemoryObjectStore(clock);

    private CompactorLease lease(ObjectStore s, String owner) {
        return lease(s, owner, clock::nanoTime);
    }

    private CompactorLease lease(ObjectStore s, String owner, LongSupplier nanoTime) {
        return new CompactorLease(s, owner, DURATION, MARGIN, clock, nanoTime, new SplittableRandom(owner.hashCode()));
    }

    private CompactorLease.LeaseRecord record(long n) {
        return CompactorLease.LeaseRecord.decode(store.get(NumberedLog.key(CompactorLease.PREFIX, n)).orElseThrow(),
                n);
    }

    @Test
    void acquireRenewAndReleaseWriteNumberedRecordsAndTheNextRunNeedNotWait() {
        CompactorLease a = lease(store, "a");
        assertThat(a.tryAcquire()).isEqualTo(new CompactorLease.Acquisition.Acquired(1));
        assertThat(a.isHeld()).isTrue();
        assertThat(a.epoch()).isEqualTo(1);
        assertThat(record(1).kind()).isEqualTo(CompactorLease.ACQUIRE);
        assertThat(record(1).owner()).isEqualTo("a");

        a.ensureHeld(); // fresh: nothing to write
        assertThat(store.head(NumberedLog.key(CompactorLease.PREFIX, 2))).isEmpty();
        clock.advance(DURATION.dividedBy(2));
        a.ensureHeld(); // half the duration gone: renews by creating the next record itself
        assertThat(record(2).kind()).isEqualTo(CompactorLease.RENEW);
        assertThat(record(2).epoch()).as("the epoch stays the holder's").isEqualTo(1);
        assertThat(a.epoch()).isEqualTo(1);

        a.release();
        assertThat(a.isHeld()).isFalse();
        assertThat(record(3).kind()).isEqualTo(CompactorLease.RELEASE);
        assertThat(lease(store, "b").tryAcquire()).isEqualTo(new CompactorLease.Acquisition.Acquired(4));
    }

    @Test
    void anotherCompactorWaitsForTheDurationPlusTheMarginOnItsOwnClock() {
        CompactorLease a = lease(store, "a");
        a.tryAcquire();
        CompactorLease b = lease(store, "b");
        CompactorLease.Acquisition first = b.tryAcquire();
        assertThat(first).isInstanceOf(CompactorLease.Acquisition.Busy.class);
        CompactorLease.Acquisition.Busy busy = (CompactorLease.Acquisition.Busy) first;
        assertThat(busy.holder()).isEqualTo("a");
        assertThat(busy.holderEpoch()).isEqualTo(1);
        assertThat(busy.retryAfter()).isEqualTo(DURATION.plus(MARGIN));

        clock.advance(DURATION);
        assertThat(b.tryAcquire()).isEqualTo(new CompactorLease.Acquisition.Busy("a", 1, MARGIN));
        // A compactor that sees the record for the first time now must watch it for the whole time.
        CompactorLease c = lease(store, "c");
        assertThat(((CompactorLease.Acquisition.Busy) c.tryAcquire()).retryAfter()).isEqualTo(DURATION.plus(MARGIN));

        clock.advance(MARGIN);
        assertThat(b.tryAcquire()).isEqualTo(new CompactorLease.Acquisition.Acquired(2));
        assertThat(c.tryAcquire()).isInstanceOf(CompactorLease.Acquisition.Busy.class);
    }

    @Test
    void renewalsKeepALongRunGoingWhileLaterRunsFindTheLeaseBusy() {
        CompactorLease a = lease(store, "a");
        a.tryAcquire();
        CompactorLease b = lease(store, "b");
        for (int i = 0; i < 20; i++) { // 20 x 40 s: far longer than the lease, renewed all along
            clock.advance(Duration.ofSeconds(40));
            a.ensureHeld();
            assertThat(b.tryAcquire()).isInstanceOf(CompactorLease.Acquisition.Busy.class);
        }
        assertThat(a.isHeld()).isTrue();
        a.release();
        assertThat(b.tryAcquire()).isInstanceOf(CompactorLease.Acquisition.Acquired.class);
    }

    @Test
    void aHolderWhoseLeaseExpiredAndWasTakenOverIsFencedForGood() {
        CompactorLease a = lease(store, "a");
        a.tryAcquire();
        CompactorLease b = lease(store, "b");
        b.tryAcquire();                               // b starts watching
        clock.advance(DURATION.plus(MARGIN));          // a stalls and does not renew
        assertThat(b.tryAcquire()).isEqualTo(new CompactorLease.Acquisition.Acquired(2));

        assertThatThrownBy(a::ensureHeld).isInstanceOf(CompactorFencedException.class).hasMessageContaining("b");
        assertThat(a.isHeld()).isFalse();
        assertThatThrownBy(a::ensureHeld).isInstanceOf(CompactorFencedException.class);
        a.release(); // writes nothing
        assertThat(store.head(NumberedLog.key(CompactorLease.PREFIX, 3))).isEmpty();
        b.ensureHeld();
        assertThat(b.epoch()).isEqualTo(2);
    }

    @Test
    void aHolderNoticesANewerEpochEvenWhileItsOwnClockSaysTheLeaseIsValid() {
        AtomicLong aClock = new AtomicLong(); // a's clock stands still (say, it runs slow)
        CompactorLease a = lease(store, "a", aClock::get);
        a.tryAcquire();
        CompactorLease b = lease(store, "b");
        b.tryAcquire();
        clock.advance(DURATION.plus(MARGIN));
        assertThat(b.tryAcquire()).isInstanceOf(CompactorLease.Acquisition.Acquired.class);

        a.ensureHeld(); // within the margin of its last confirmation: no request
        aClock.addAndGet(MARGIN.toNanos());
        assertThatThrownBy(a::ensureHeld).isInstanceOf(CompactorFencedException.class)
                .hasMessageContaining("newer compactor lease record");
    }

    @Test
    void exactlyOneOfManyConcurrentCompactorsGetsTheLease() throws Exception {
        int n = 8;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            for (int round = 0; round < 20; round++) {
                CyclicBarrier barrier = new CyclicBarrier(n);
                List<CompactorLease> leases = new ArrayList<>();
                List<Future<CompactorLease.Acquisition>> results = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    CompactorLease l = lease(store, "c" + round + "-" + i);
                    leases.add(l);
                    results.add(pool.submit(() -> {
                        barrier.await();
                        return l.tryAcquire();
                    }));
                }
                int acquired = 0;
                for (Future<CompactorLease.Acquisition> f : results) {
                    if (f.get() instanceof CompactorLease.Acquisition.Acquired) {
                        acquired++;
                    } else {
                        assertThat(f.get()).isInstanceOf(CompactorLease.Acquisition.Busy.class);
                    }
                }
                assertThat(acquired).as("winners in round %d", round).isEqualTo(1);
                leases.stream().filter(CompactorLease::isHeld).forEach(CompactorLease::release);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aLostResponseOnTheClaimIsSettledByReadingTheTokenBack() {
        FaultInjectingObjectStore faulty = FaultInjectingObjectStore.wrap(store, 1);
        faulty.loseNextResponses(FaultInjectingObjectStore.Op.PUT_IF_ABSENT, 1);
        CompactorLease a = lease(faulty, "a");
        assertThat(a.tryAcquire()).isEqualTo(new CompactorLease.Acquisition.Acquired(1));
        assertThat(faulty.injected().lostResponses()).isEqualTo(1);

        // The same on a renewal: the write happened, its response was lost, the read-back says it is ours.
        clock.advance(DURATION.dividedBy(2));
        faulty.loseNextResponses(FaultInjectingObjectStore.Op.PUT_IF_ABSENT, 1);
        a.ensureHeld();
        assertThat(record(2).kind()).isEqualTo(CompactorLease.RENEW);
        assertThat(a.isHeld()).isTrue();
    }

    @Test
    void aClaimWhoseOutcomeStaysUnknownIsNotAnAcquisition() {
        Swallowing s = new Swallowing(store);
        s.swallow.set(true);
        CompactorLease a = lease(s, "a");
        CompactorLease.Acquisition result = a.tryAcquire();
        assertThat(result).isInstanceOf(CompactorLease.Acquisition.Unknown.class);
        assertThat(a.isHeld()).isFalse();
        assertThatThrownBy(a::ensureHeld).isInstanceOf(IllegalStateException.class);

        // The PUT lands late after all: the others treat it as a lease nobody renews and wait for it to expire.
        s.landLate();
        CompactorLease b = lease(store, "b");
        assertThat(b.tryAcquire()).isInstanceOf(CompactorLease.Acquisition.Busy.class);
        clock.advance(DURATION.plus(MARGIN));
        assertThat(b.tryAcquire()).isEqualTo(new CompactorLease.Acquisition.Acquired(2));
    }

    @Test
    void aRenewalWhoseOutcomeStaysUnknownFencesTheHolder() {
        Swallowing s = new Swallowing(store);
        CompactorLease a = lease(s, "a");
        a.tryAcquire();
        clock.advance(DURATION.dividedBy(2));
        s.swallow.set(true);
        assertThatThrownBy(a::ensureHeld).isInstanceOf(CompactorFencedException.class)
                .hasMessageContaining("unknown");
        assertThat(a.isHeld()).isFalse();
    }

    @Test
    void waitingForALeaseNobodyRenewsTakesItOverWithoutSleepingForReal() {
        lease(store, "crashed").tryAcquire(); // never renewed or released
        CompactorLease b = lease(store, "b");
        List<Duration> slept = new ArrayList<>();
        CompactorLease.Acquisition r = b.acquire(Duration.ofMinutes(5), d -> {
            slept.add(d);
            clock.advance(d);
        });
        assertThat(r).isEqualTo(new CompactorLease.Acquisition.Acquired(2));
        assertThat(slept.stream().reduce(Duration.ZERO, Duration::plus)).isEqualTo(DURATION.plus(MARGIN));

        // Waiting less than the lease has left: busy at once, no sleep.
        CompactorLease c = lease(store, "c");
        assertThat(c.acquire(Duration.ofSeconds(10), d -> {
            throw new AssertionError("should not wait");
        })).isInstanceOf(CompactorLease.Acquisition.Busy.class);
    }

    @Test
    void oldRecordsAreCollectedAndANewCompactorStillFindsTheNewestWithoutAHint() {
        for (int i = 0; i < 30; i++) { // each run: acquire, renew (before collecting), release
            CompactorLease l = lease(store, "run" + i);
            assertThat(l.tryAcquire()).isInstanceOf(CompactorLease.Acquisition.Acquired.class);
            clock.advance(Duration.ofMinutes(5));
            l.release();
        }
        List<ObjectInfo> left = store.listAll(CompactorLease.PREFIX);
        assertThat(left.size()).isLessThan(60).isGreaterThanOrEqualTo(CompactorLease.KEEP_RECORDS);
        assertThat(store.head(NumberedLog.key(CompactorLease.PREFIX, 1))).isEmpty();
        assertThat(left.get(left.size() - 1).key()).isEqualTo(NumberedLog.key(CompactorLease.PREFIX, 90));

        store.delete(CompactorLease.HINT_KEY);
        CompactorLease fresh = lease(store, "fresh");
        assertThat(fresh.tryAcquire()).isEqualTo(new CompactorLease.Acquisition.Acquired(91));
    }

    /** Answers Unknown to lease claims without writing them while {@link #swallow} is set. */
    private static final class Swallowing extends ForwardingObjectStore {
        final AtomicBoolean swallow = new AtomicBoolean();
        private String lastKey;
        private byte[] lastData;

        Swallowing(ObjectStore delegate) {
            super(delegate);
        }

        @Override
        public synchronized CreateResult putIfAbsent(String key, byte[] data, Map<String, String> metadata) {
            if (swallow.get() && key.startsWith(CompactorLease.PREFIX)) {
                lastKey = key;
                lastData = data;
                return new CreateResult.Unknown(new StoreUnavailableException(
                        StoreUnavailableException.Reason.IO, "connection reset (test)", null));
            }
            return delegate.putIfAbsent(key, data, metadata);
        }

        synchronized void landLate() {
            swallow.set(false);
            delegate.putIfAbsent(lastKey, lastData, Map.of());
        }
    }
}
