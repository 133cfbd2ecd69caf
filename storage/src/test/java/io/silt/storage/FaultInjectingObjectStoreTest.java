package io.silt.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.silt.storage.FaultInjectingObjectStore.Op;
import io.silt.storage.StoreUnavailableException.Reason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FaultInjectingObjectStoreTest {
    private static final byte[] DATA = "data".getBytes(UTF_8);

    private final FakeSleeper time = new FakeSleeper();
    private final InMemoryObjectStore memory = new InMemoryObjectStore();
    private final CountingObjectStore server = CountingObjectStore.wrap(memory);
    private final FaultInjectingObjectStore store = FaultInjectingObjectStore.wrap(server, 7, time);

    @Test
    void withoutFaultsItIsTransparent() {
        store.put("a", DATA);
        assertThat(store.get("a").orElseThrow().bytes()).isEqualTo(DATA);
        assertThat(store.putIfAbsent("a", DATA)).isEqualTo(CreateResult.ALREADY_EXISTS);
        assertThat(store.injected().faults()).isZero();
        assertThat(time.sleeps()).isEmpty();
    }

    @Test
    void scriptedErrorsFailBeforeTheRequestReachesTheStore() {
        store.failNext(Op.PUT, 2, Reason.THROTTLED).failNext(Op.GET, 1);
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> store.put("a", DATA))
                    .isInstanceOfSatisfying(StoreUnavailableException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.THROTTLED))
                    .hasMessageContaining("503 SlowDown").hasMessageContaining("'a'");
        }
        assertThat(server.counts().puts()).isZero();
        assertThat(memory.get("a")).isEmpty();
        store.put("a", DATA);
        assertThatThrownBy(() -> store.get("a")).isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("500");
        assertThat(store.get("a")).isPresent();
        assertThat(store.injected().errors()).containsEntry(Reason.THROTTLED, 2L)
                .containsEntry(Reason.SERVER_ERROR, 1L);
    }

    @Test
    void lostResponseOfACreateIsUnknownAndTheWriteHappened() {
        store.loseNextResponses(Op.PUT_IF_ABSENT, 2);
        CreateResult r = store.putIfAbsent("k", DATA);
        assertThat(r).isInstanceOf(CreateResult.Unknown.class);
        assertThat(((CreateResult.Unknown) r).cause()).isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("response was lost");
        assertThat(memory.get("k").orElseThrow().bytes()).isEqualTo(DATA);
        // a 412 whose response is lost is unknown too (S3Proxy breaks the connection on early 412s)
        assertThat(store.putIfAbsent("k", "other".getBytes(UTF_8))).isInstanceOf(CreateResult.Unknown.class);
        assertThat(store.putIfAbsent("k", DATA)).isEqualTo(CreateResult.ALREADY_EXISTS);
        assertThat(store.injected().lostResponses()).isEqualTo(2);
    }

    @Test
    void lostResponsesOfOtherWritesThrowIoAfterTheWriteHappened() {
        ObjectInfo v1 = memory.put("d", DATA);
        store.loseNextResponses(Op.PUT, 1).loseNextResponses(Op.DELETE, 1).loseNextResponses(Op.PUT_IF_MATCH, 1);

        assertThatThrownBy(() -> store.put("p", DATA)).isInstanceOfSatisfying(StoreUnavailableException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.IO));
        assertThat(memory.get("p")).isPresent();
        assertThatThrownBy(() -> ((SupportsCompareAndSwap) store).putIfMatch("d", "v2".getBytes(UTF_8), v1.etag(),
                Map.of())).isInstanceOf(StoreUnavailableException.class);
        assertThat(memory.get("d").orElseThrow().bytes()).isEqualTo("v2".getBytes(UTF_8));
        assertThatThrownBy(() -> store.delete("d")).isInstanceOf(StoreUnavailableException.class);
        assertThat(memory.get("d")).isEmpty();
        assertThat(store.injected().lostResponses()).isEqualTo(3);
    }

    @Test
    void onlyWritesCanLoseTheirResponse() {
        assertThatThrownBy(() -> store.loseNextResponses(Op.GET, 1)).isInstanceOf(IllegalArgumentException.class);
        store.setPolicy(FaultInjectingPolicy.NONE.withLostResponses(1.0));
        memory.put("a", DATA);
        assertThat(store.get("a")).isPresent();   // ignored for reads
    }

    @Test
    void randomFaultsFollowTheRateAndAreReproducibleWithTheSeed() {
        List<String> first = outcomes(7);
        assertThat(first).isEqualTo(outcomes(7)).isNotEqualTo(outcomes(8));
        long errors = first.stream().filter(o -> !o.equals("ok")).count();
        assertThat(errors).isBetween(200L, 400L);                        // 30% of 1000
        assertThat(first).contains("THROTTLED", "CONFLICT", "IO").doesNotContain("SERVER_ERROR");
    }

    private static List<String> outcomes(long seed) {
        FaultInjectingObjectStore s = FaultInjectingObjectStore.wrap(new InMemoryObjectStore(), seed,
                new FakeSleeper());
        s.setPolicy(Op.HEAD, FaultInjectingPolicy.NONE.withErrors(0.3, Reason.THROTTLED, Reason.CONFLICT,
                Reason.IO));
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            try {
                s.head("k");
                out.add("ok");
            } catch (StoreUnavailableException e) {
                out.add(e.reason().name());
            }
        }
        return out;
    }

    @Test
    void latencyIsAddedThroughTheSleeper() {
        store.setPolicy(Op.GET, FaultInjectingPolicy.NONE.withLatency(Duration.ofMillis(25)));
        store.setPolicy(Op.PUT, FaultInjectingPolicy.NONE.withLatency(Duration.ofMillis(10), Duration.ofMillis(20)));
        store.get("a");
        store.get("b");
        for (int i = 0; i < 50; i++) {
            store.put("p", DATA);
        }
        List<Duration> sleeps = time.sleeps();
        assertThat(sleeps.subList(0, 2)).containsOnly(Duration.ofMillis(25));
        assertThat(sleeps.subList(2, 52)).allSatisfy(d ->
                assertThat(d).isBetween(Duration.ofMillis(10), Duration.ofMillis(20)));
        assertThat(sleeps.subList(2, 52).stream().distinct().count()).isGreaterThan(1);
        FaultInjectingObjectStore.Injected injected = store.injected();
        assertThat(injected.delayedRequests()).isEqualTo(52);
        assertThat(injected.addedLatency()).isEqualTo(time.slept());
        assertThat(injected.faults()).isZero();
    }

    @Test
    void policiesAreValidated() {
        assertThatThrownBy(() -> FaultInjectingPolicy.NONE.withErrors(1.5))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FaultInjectingPolicy.NONE.withLostResponses(-0.1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FaultInjectingPolicy.NONE.withLatency(Duration.ofMillis(5), Duration.ofMillis(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(FaultInjectingPolicy.NONE.withErrors(0.5).errorReasons()).containsExactly(Reason.SERVER_ERROR);
    }

    @Test
    void compareAndSwapIsForwardedOnlyWhenTheDelegateHasIt() {
        assertThat(store).isInstanceOf(SupportsCompareAndSwap.class);
        assertThat(FaultInjectingObjectStore.wrap(new RetryingObjectStoreTest.ScriptedStore(), 1))
                .isNotInstanceOf(SupportsCompareAndSwap.class);
    }
}
