package io.silt.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.silt.storage.FaultInjectingObjectStore.Op;
import io.silt.storage.StoreUnavailableException.Reason;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RetryingObjectStoreTest {
    private static final String KEY = "log/00000000000000000007";
    private static final byte[] OURS = "commit token-ours".getBytes(UTF_8);
    private static final byte[] THEIRS = "commit token-theirs".getBytes(UTF_8);

    private final FakeSleeper time = new FakeSleeper();
    private InMemoryObjectStore memory;
    private CountingObjectStore server;          // what reached the "bucket"
    private FaultInjectingObjectStore faults;
    private RetryingObjectStore store;

    @BeforeEach
    void setUp() {
        memory = new InMemoryObjectStore();
        server = CountingObjectStore.wrap(memory);
        faults = FaultInjectingObjectStore.wrap(server, 1, time);
        store = retrying(faults, RetryPolicy.DEFAULT, new SplittableRandom(3));
    }

    private RetryingObjectStore retrying(ObjectStore delegate, RetryPolicy policy, RandomGenerator random) {
        return RetryingObjectStore.wrap(delegate, policy, time, random, time);
    }

    // ---------------------------------------------------------------- plain operations

    @Test
    void transientFailuresAreRetriedUntilTheyPass() {
        memory.put("a", OURS);
        faults.failNext(Op.GET, 2, Reason.THROTTLED);
        assertThat(store.get("a").orElseThrow().bytes()).isEqualTo(OURS);
        assertThat(time.sleeps()).hasSize(2);
        assertThat(server.counts().gets()).isEqualTo(1);

        faults.failNext(Op.PUT, 1, Reason.IO).failNext(Op.DELETE, 1).failNext(Op.LIST, 1).failNext(Op.HEAD, 1);
        store.put("b", THEIRS);
        assertThat(store.head("b")).isPresent();
        assertThat(store.list("", null, 10).objects()).hasSize(2);
        store.delete("b");
        assertThat(memory.get("b")).isEmpty();
    }

    @Test
    void answersAreNeverRetried() {
        assertThat(store.get("missing")).isEmpty();
        assertThat(store.head("missing")).isEmpty();
        assertThat(store.getIfChanged("missing", "\"x\"")).isEqualTo(ConditionalGet.NOT_FOUND);
        ObjectInfo info = memory.put("there", OURS);
        assertThat(store.getIfChanged("there", info.etag())).isEqualTo(ConditionalGet.NOT_MODIFIED);
        assertThatThrownBy(() -> store.get("there", ByteRange.from(100))).isInstanceOf(InvalidRangeException.class);

        RequestCounts c = server.counts();
        assertThat(c.gets()).isEqualTo(4);
        assertThat(c.heads()).isEqualTo(1);
        assertThat(time.sleeps()).isEmpty();
    }

    @Test
    void errorsThatAreNotTransientAreNeverRetried() {
        ScriptedStore scripted = new ScriptedStore();
        CountingObjectStore counted = CountingObjectStore.wrap(scripted);
        RetryingObjectStore s = retrying(counted, RetryPolicy.DEFAULT, new SplittableRandom(1));

        scripted.gets.add(k -> {
            throw new StoreAccessDeniedException("403 AccessDenied on " + k);
        });
        assertThatThrownBy(() -> s.get("k")).isInstanceOf(StoreAccessDeniedException.class);
        scripted.gets.add(k -> {
            throw new StoreConfigurationException("NoSuchBucket");
        });
        assertThatThrownBy(() -> s.get("k")).isInstanceOf(StoreConfigurationException.class);
        scripted.creates.add((k, d) -> {
            throw new StoreAccessDeniedException("403 AccessDenied on " + k);
        });
        assertThatThrownBy(() -> s.putIfAbsent("k", OURS)).isInstanceOf(StoreAccessDeniedException.class);
        assertThat(counted.counts().gets()).isEqualTo(2);
        assertThat(counted.counts().puts()).isEqualTo(1);

        assertThatThrownBy(() -> s.get("bad//key")).isInstanceOf(InvalidKeyException.class);
        assertThatThrownBy(() -> s.putIfAbsent("bad//key", OURS)).isInstanceOf(InvalidKeyException.class);
        assertThat(scripted.calls.get()).isEqualTo(5);
        assertThat(time.sleeps()).isEmpty();
    }

    // ---------------------------------------------------------------- backoff and budget

    @Test
    void backoffGrowsExponentiallyAndIsCappedAtMaxDelay() {
        RetryPolicy policy = new RetryPolicy(Duration.ofMillis(100), Duration.ofSeconds(1), 8, Duration.ofHours(1));
        RetryingObjectStore s = retrying(faults, policy, almostOne());
        faults.failNext(Op.GET, 100, Reason.SERVER_ERROR);

        assertThatThrownBy(() -> s.get("k"))
                .isInstanceOfSatisfying(StoreUnavailableException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.SERVER_ERROR))
                .hasMessageContaining("8 attempts");
        List<Long> millis = time.sleeps().stream().map(Duration::toMillis).toList();
        assertThat(millis).containsExactly(99L, 199L, 399L, 799L, 999L, 999L, 999L);
        assertThat(faults.injected().errors().get(Reason.SERVER_ERROR)).isEqualTo(8);
    }

    @Test
    void totalTimeCapStopsRetryingBeforeTheDeadline() {
        RetryPolicy policy = new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(1), 100,
                Duration.ofMillis(2500));
        RetryingObjectStore s = retrying(faults, policy, almostOne());
        faults.failNext(Op.GET, 100, Reason.THROTTLED);
        long start = time.getAsLong();

        assertThatThrownBy(() -> s.get("k")).isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("3 attempts");
        assertThat(time.sleeps()).hasSize(2);
        assertThat(Duration.ofNanos(time.getAsLong() - start)).isLessThanOrEqualTo(policy.totalTimeout());
    }

    @Test
    void timeSpentInsideRequestsCountsTowardsTheCap() {
        RetryPolicy policy = RetryPolicy.DEFAULT.withMaxAttempts(100).withTotalTimeout(Duration.ofSeconds(10));
        ScriptedStore scripted = new ScriptedStore();
        for (int i = 0; i < 100; i++) {
            scripted.gets.add(k -> {
                time.advance(Duration.ofSeconds(4)); // a slow request that then times out
                throw new StoreUnavailableException(Reason.TIMEOUT, "timed out");
            });
        }
        RetryingObjectStore s = retrying(scripted, policy, new SplittableRandom(5));
        assertThatThrownBy(() -> s.get("k")).isInstanceOf(StoreUnavailableException.class);
        assertThat(scripted.calls.get()).isEqualTo(3);
    }

    @Test
    void jitterIsReproducibleWithASeed() {
        List<Duration> first = sleepsOfFailingGet(new SplittableRandom(42));
        List<Duration> again = sleepsOfFailingGet(new SplittableRandom(42));
        List<Duration> other = sleepsOfFailingGet(new SplittableRandom(43));
        assertThat(first).hasSize(7).isEqualTo(again).isNotEqualTo(other);
        for (int i = 0; i < first.size(); i++) {
            assertThat(first.get(i)).isLessThan(RetryPolicy.DEFAULT.backoffCeiling(i + 1));
        }
    }

    private List<Duration> sleepsOfFailingGet(RandomGenerator random) {
        FakeSleeper t = new FakeSleeper();
        FaultInjectingObjectStore f = FaultInjectingObjectStore.wrap(new InMemoryObjectStore(), 1, t);
        f.failNext(Op.GET, 100);
        RetryingObjectStore s = RetryingObjectStore.wrap(f, RetryPolicy.DEFAULT, t, random, t);
        assertThatThrownBy(() -> s.get("k")).isInstanceOf(StoreUnavailableException.class);
        return t.sleeps();
    }

    @Test
    void interruptionStopsRetryingAndKeepsTheFlag() {
        Sleeper interrupted = d -> {
            throw new InterruptedException();
        };
        RetryingObjectStore s = RetryingObjectStore.wrap(faults, RetryPolicy.DEFAULT, interrupted,
                new SplittableRandom(1), time);
        faults.failNext(Op.GET, 5);
        try {
            assertThatThrownBy(() -> s.get("k")).isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining("interrupted");
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    // ---------------------------------------------------------------- putIfAbsent: unknown outcomes

    @Test
    void firstAttempt412IsAlreadyExistsWithoutAReadBack() {
        memory.put(KEY, THEIRS);
        assertThat(store.putIfAbsent(KEY, OURS)).isEqualTo(CreateResult.ALREADY_EXISTS);
        assertThat(server.counts().puts()).isEqualTo(1);
        assertThat(server.counts().gets()).isZero();
    }

    @Test
    void failuresThatCertainlyDidNotWriteThen412IsAlreadyExistsWithoutAReadBack() {
        memory.put(KEY, THEIRS);
        faults.failNext(Op.PUT_IF_ABSENT, 2, Reason.THROTTLED);
        assertThat(store.putIfAbsent(KEY, OURS)).isEqualTo(CreateResult.ALREADY_EXISTS);
        assertThat(server.counts().gets()).isZero();
    }

    @Test
    void unknownThenReadBackOfOurBytesIsCreated() {
        faults.loseNextResponses(Op.PUT_IF_ABSENT, 1);
        CreateResult r = store.putIfAbsent(KEY, OURS, Map.of("silt-token", "ours"));

        assertThat(r).isInstanceOf(CreateResult.Created.class);
        ObjectInfo info = ((CreateResult.Created) r).info();
        assertThat(info.etag()).isEqualTo(memory.head(KEY).orElseThrow().etag());
        assertThat(info.metadata()).containsEntry("silt-token", "ours");
        assertThat(server.counts().puts()).isEqualTo(1);
        assertThat(server.counts().gets()).isEqualTo(1);
    }

    @Test
    void unknownThenReadBackMissingThenTheSameWriteIsSentAgain() {
        ScriptedStore scripted = new ScriptedStore();
        scripted.creates.add((k, d) -> new CreateResult.Unknown(timeout())); // the request never arrived
        CountingObjectStore counted = CountingObjectStore.wrap(scripted);
        RetryingObjectStore s = retrying(counted, RetryPolicy.DEFAULT, new SplittableRandom(1));

        assertThat(s.putIfAbsent(KEY, OURS)).isInstanceOf(CreateResult.Created.class);
        assertThat(scripted.inner.get(KEY).orElseThrow().bytes()).isEqualTo(OURS);
        assertThat(counted.counts().puts()).isEqualTo(2);
        assertThat(counted.counts().gets()).isEqualTo(1);
        assertThat(counted.counts().getsNotFound()).isEqualTo(1);
    }

    @Test
    void ioErrorThrownByACreateIsTreatedAsUnknown() {
        // The interface says putIfAbsent throws only when nothing was written; a broken connection cannot prove
        // that, so the retrying store reads back rather than trust a later 412.
        faults.failNext(Op.PUT_IF_ABSENT, 1, Reason.IO);
        assertThat(store.putIfAbsent(KEY, OURS)).isInstanceOf(CreateResult.Created.class);
        assertThat(server.counts().getsNotFound()).isEqualTo(1);
    }

    @Test
    void lostWriteThatLandsLaterMakesTheRetryGet412AndTheReadBackSaysOurs() {
        ScriptedStore scripted = new ScriptedStore();
        Deque<Runnable> landLater = new ArrayDeque<>();
        scripted.creates.add((k, d) -> {
            landLater.add(() -> scripted.inner.putIfAbsent(k, d)); // still in flight
            return new CreateResult.Unknown(timeout());
        });
        scripted.gets.add(k -> {
            Optional<ObjectData> before = scripted.inner.get(k); // 404: proves nothing...
            landLater.poll().run();                               // ...the old PUT lands just after
            return before;
        });
        CountingObjectStore counted = CountingObjectStore.wrap(scripted);
        RetryingObjectStore s = retrying(counted, RetryPolicy.DEFAULT, new SplittableRandom(1));

        CreateResult r = s.putIfAbsent(KEY, OURS);

        assertThat(r).isInstanceOf(CreateResult.Created.class);
        assertThat(((CreateResult.Created) r).info().size()).isEqualTo(OURS.length);
        assertThat(counted.counts().puts()).isEqualTo(2);   // Unknown, then 412
        assertThat(counted.counts().gets()).isEqualTo(2);   // 404, then our bytes
    }

    @Test
    void after412FollowingAnUnknownAttemptOtherBytesMeanAlreadyExists() {
        ScriptedStore scripted = new ScriptedStore();
        scripted.creates.add((k, d) -> new CreateResult.Unknown(timeout()));
        scripted.gets.add(k -> {
            Optional<ObjectData> before = scripted.inner.get(k);
            scripted.inner.putIfAbsent(k, THEIRS); // a competitor wins in between
            return before;
        });
        CountingObjectStore counted = CountingObjectStore.wrap(scripted);
        RetryingObjectStore s = retrying(counted, RetryPolicy.DEFAULT, new SplittableRandom(1));

        assertThat(s.putIfAbsent(KEY, OURS)).isEqualTo(CreateResult.ALREADY_EXISTS);
        assertThat(counted.counts().gets()).isEqualTo(2);   // the 412 was read back, not reported blindly
        assertThat(scripted.inner.get(KEY).orElseThrow().bytes()).isEqualTo(THEIRS);
    }

    @Test
    void unknownThenReadBackOfOtherBytesIsAlreadyExists() {
        ScriptedStore scripted = new ScriptedStore();
        scripted.creates.add((k, d) -> {
            scripted.inner.putIfAbsent(k, THEIRS);
            return new CreateResult.Unknown(timeout());
        });
        RetryingObjectStore s = retrying(scripted, RetryPolicy.DEFAULT, new SplittableRandom(1));
        assertThat(s.putIfAbsent(KEY, OURS)).isEqualTo(CreateResult.ALREADY_EXISTS);
    }

    @Test
    void readBacksThatFailTransientlyAreRetriedWithinTheBudget() {
        faults.loseNextResponses(Op.PUT_IF_ABSENT, 1).failNext(Op.GET, 3, Reason.THROTTLED);
        assertThat(store.putIfAbsent(KEY, OURS)).isInstanceOf(CreateResult.Created.class);
        assertThat(time.sleeps()).hasSize(4);
        assertThat(server.counts().gets()).isEqualTo(1);
    }

    @Test
    void exhaustedWhileAmbiguousIsUnknownNeverAFailure() {
        faults.loseNextResponses(Op.PUT_IF_ABSENT, 1).failNext(Op.GET, 100, Reason.SERVER_ERROR);
        CreateResult r = store.putIfAbsent(KEY, OURS);

        assertThat(r).isInstanceOf(CreateResult.Unknown.class);
        assertThat(((CreateResult.Unknown) r).cause()).isInstanceOf(StoreUnavailableException.class);
        assertThat(faults.injected().errors().get(Reason.SERVER_ERROR)).isEqualTo(7); // 1 put + 7 reads = 8
        assertThat(memory.get(KEY).orElseThrow().bytes()).isEqualTo(OURS);       // it did land
    }

    @Test
    void exhaustedWithEveryWriteLostIsUnknown() {
        faults.setPolicy(Op.PUT_IF_ABSENT, FaultInjectingPolicy.NONE.withErrors(1.0, Reason.IO));
        CreateResult r = store.putIfAbsent(KEY, OURS);
        assertThat(r).isInstanceOf(CreateResult.Unknown.class);
        assertThat(server.counts().gets()).isEqualTo(4); // write, read 404, write, read 404, ...
    }

    @Test
    void exhaustedOnFailuresThatCertainlyDidNotWriteThrows() {
        faults.failNext(Op.PUT_IF_ABSENT, 100, Reason.THROTTLED);
        assertThatThrownBy(() -> store.putIfAbsent(KEY, OURS))
                .isInstanceOfSatisfying(StoreUnavailableException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.THROTTLED))
                .hasMessageContaining("8 attempts");
        assertThat(memory.get(KEY)).isEmpty();
    }

    @Test
    void nonRetriableErrorAfterAnAmbiguousAttemptIsUnknown() {
        ScriptedStore scripted = new ScriptedStore();
        scripted.creates.add((k, d) -> new CreateResult.Unknown(timeout()));
        scripted.gets.add(k -> {
            throw new StoreAccessDeniedException("403 AccessDenied: s3:GetObject");
        });
        RetryingObjectStore s = retrying(scripted, RetryPolicy.DEFAULT, new SplittableRandom(1));
        CreateResult r = s.putIfAbsent(KEY, OURS);
        assertThat(r).isInstanceOf(CreateResult.Unknown.class);
        assertThat(((CreateResult.Unknown) r).cause()).isInstanceOf(StoreAccessDeniedException.class);
        assertThat(((CreateResult.Unknown) r).cause().getSuppressed()).hasSize(1);
    }

    @Test
    void noRetriesPolicyStillNeverReportsAGuess() {
        RetryingObjectStore s = retrying(faults, RetryPolicy.NO_RETRIES, new SplittableRandom(1));
        faults.loseNextResponses(Op.PUT_IF_ABSENT, 1);
        assertThat(s.putIfAbsent(KEY, OURS)).isInstanceOf(CreateResult.Unknown.class);
    }

    // ---------------------------------------------------------------- capability

    @Test
    void compareAndSwapIsForwardedOnlyWhenTheDelegateHasIt() {
        assertThat(RetryingObjectStore.wrap(new InMemoryObjectStore())).isInstanceOf(SupportsCompareAndSwap.class);
        assertThat(RetryingObjectStore.wrap(new ScriptedStore())).isNotInstanceOf(SupportsCompareAndSwap.class);

        ObjectInfo v1 = memory.put("cas", OURS);
        faults.failNext(Op.PUT_IF_MATCH, 2, Reason.CONFLICT);
        assertThat(((SupportsCompareAndSwap) store).putIfMatch("cas", THEIRS, v1.etag(), Map.of()))
                .isEqualTo(SupportsCompareAndSwap.SwapResult.SWAPPED);
        assertThat(time.sleeps()).hasSize(2);
    }

    // ---------------------------------------------------------------- helpers

    private static StoreUnavailableException timeout() {
        return new StoreUnavailableException(Reason.TIMEOUT, "request timed out; the write may still land");
    }

    /** Always draws just under 1, so every wait is (almost) its ceiling. */
    private static RandomGenerator almostOne() {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                return -1L;
            }

            @Override
            public double nextDouble() {
                return 0.9999999;
            }
        };
    }

    /** An in-memory store without If-Match, whose putIfAbsent and get answers can be scripted. */
    static final class ScriptedStore implements ObjectStore {
        interface Create {
            CreateResult apply(String key, byte[] data);
        }

        interface Get {
            Optional<ObjectData> apply(String key);
        }

        final InMemoryObjectStore inner = new InMemoryObjectStore();
        final Deque<Create> creates = new ArrayDeque<>();
        final Deque<Get> gets = new ArrayDeque<>();
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public Optional<ObjectData> get(String key) {
            calls.incrementAndGet();
            Get g = gets.poll();
            return g == null ? inner.get(key) : g.apply(key);
        }

        @Override
        public Optional<ObjectData> get(String key, ByteRange range) {
            calls.incrementAndGet();
            return inner.get(key, range);
        }

        @Override
        public ConditionalGet getIfChanged(String key, String etag) {
            calls.incrementAndGet();
            return inner.getIfChanged(key, etag);
        }

        @Override
        public Optional<ObjectInfo> head(String key) {
            calls.incrementAndGet();
            return inner.head(key);
        }

        @Override
        public ObjectInfo put(String key, byte[] data, Map<String, String> metadata) {
            calls.incrementAndGet();
            return inner.put(key, data, metadata);
        }

        @Override
        public CreateResult putIfAbsent(String key, byte[] data, Map<String, String> metadata) {
            calls.incrementAndGet();
            Create c = creates.poll();
            return c == null ? inner.putIfAbsent(key, data, metadata) : c.apply(key, data);
        }

        @Override
        public ListPage list(String prefix, String startAfter, int maxKeys) {
            calls.incrementAndGet();
            return inner.list(prefix, startAfter, maxKeys);
        }

        @Override
        public void delete(String key) {
            calls.incrementAndGet();
            inner.delete(key);
        }

        @Override
        public String describe() {
            return "scripted:";
        }
    }
}
