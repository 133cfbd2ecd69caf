package io.silt.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.silt.storage.FaultInjectingObjectStore.Op;
import io.silt.storage.StoreUnavailableException.Reason;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Many writers race a create-only write on one key through retries and a faulty store (lost responses after the
 * write, errors before it). Exactly one writer may be told Created; a writer told Unknown resolves it by reading
 * back, and then exactly one writer owns the key: the one whose bytes are stored.
 */
class RetryingObjectStoreRaceTest {
    private static final int THREADS = 16;
    private static final int ROUNDS = 50;

    @Test
    void exactlyOneWriterWinsEachRoundDespiteFaults() throws Exception {
        InMemoryObjectStore memory = new InMemoryObjectStore();
        FaultInjectingObjectStore faults = FaultInjectingObjectStore.wrap(memory, 20240601L, d -> { });
        FaultInjectingPolicy writes = FaultInjectingPolicy.NONE.withLostResponses(0.20)
                .withErrors(0.10, Reason.SERVER_ERROR, Reason.THROTTLED, Reason.CONFLICT, Reason.IO);
        faults.setPolicy(Op.PUT_IF_ABSENT, writes);
        faults.setPolicy(Op.GET, FaultInjectingPolicy.NONE.withErrors(0.10, Reason.SERVER_ERROR, Reason.IO));
        RetryingObjectStore store = RetryingObjectStore.wrap(faults, RetryPolicy.DEFAULT, d -> { },
                new SplittableRandom(99), System::nanoTime);

        int unknowns = 0;
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                String key = String.format("race/%020d", round);
                CyclicBarrier start = new CyclicBarrier(THREADS);
                List<byte[]> bodies = new ArrayList<>();
                List<Future<CreateResult>> futures = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    byte[] body = ("round " + round + " writer " + t + " token " + (round * 1000 + t)).getBytes(UTF_8);
                    bodies.add(body);
                    futures.add(pool.submit(() -> {
                        start.await(30, TimeUnit.SECONDS);
                        return store.putIfAbsent(key, body);
                    }));
                }

                List<CreateResult> results = new ArrayList<>();
                for (Future<CreateResult> f : futures) {
                    results.add(f.get(60, TimeUnit.SECONDS));
                }
                byte[] stored = memory.get(key).orElseThrow(() -> new AssertionError("nothing stored")).bytes();
                List<Integer> created = new ArrayList<>();
                List<Integer> owners = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    CreateResult r = results.get(t);
                    boolean ownsKey = Arrays.equals(stored, bodies.get(t));
                    if (r.created()) {
                        created.add(t);
                    }
                    if (r instanceof CreateResult.Unknown) {
                        unknowns++;
                        // resolve as a caller must: read back and compare (with a store that does not fail)
                        byte[] readBack = memory.get(key).orElseThrow().bytes();
                        assertThat(Arrays.equals(readBack, bodies.get(t))).isEqualTo(ownsKey);
                    } else {
                        assertThat(r.created()).as("round %d writer %d: %s", round, t, r).isEqualTo(ownsKey);
                    }
                    if (ownsKey) {
                        owners.add(t);
                    }
                }
                assertThat(created).as("writers told Created in round %d", round).hasSizeLessThanOrEqualTo(1);
                assertThat(owners).as("owners of round %d", round).hasSize(1);
                if (!created.isEmpty()) {
                    assertThat(created).isEqualTo(owners);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        FaultInjectingObjectStore.Injected injected = faults.injected();
        assertThat(injected.lostResponses()).as("lost responses injected").isGreaterThan(50);
        assertThat(injected.faults() - injected.lostResponses()).as("errors injected").isGreaterThan(50);
        int unknownOutcomes = unknowns;
        System.getLogger(getClass().getName()).log(System.Logger.Level.INFO,
                () -> "race: injected " + injected + "; unknown outcomes left to callers: " + unknownOutcomes);
        assertThat(unknowns).as("unknown outcomes (budget exhausted)").isLessThan(THREADS * ROUNDS / 100);
    }
}
