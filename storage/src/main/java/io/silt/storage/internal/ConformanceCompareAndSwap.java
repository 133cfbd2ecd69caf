package io.silt.storage.internal;

import static io.silt.storage.internal.ConformanceCheck.expect;
import static io.silt.storage.internal.ConformanceScratch.utf8;

import io.silt.storage.ObjectData;
import io.silt.storage.ObjectInfo;
import io.silt.storage.ObjectStore;
import io.silt.storage.StoreUnavailableException;
import io.silt.storage.SupportsCompareAndSwap;
import io.silt.storage.SupportsCompareAndSwap.SwapResult;
import io.silt.storage.internal.ConformanceCheck.Result;
import io.silt.storage.internal.ConformanceRace.Attempt;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The information-only checks of {@code If-Match} compare-and-swap. Silt never relies on it (design rule 1): S3Proxy
 * and S3Mock let several writers win the same race. These checks say what the store does, and never make it unsafe.
 */
public final class ConformanceCompareAndSwap {
    /** Bodies of the race; large enough that a check-then-write emulation shows its window. */
    private static final int RACE_BODY_BYTES = 64 * 1024;

    private final int threads;
    private final int rounds;
    private final Duration timeout;

    private ConformanceCompareAndSwap(int threads, int rounds, Duration timeout) {
        this.threads = threads;
        this.rounds = rounds;
        this.timeout = timeout;
    }

    public static ConformanceCheck basic() {
        return new ConformanceCheck("If-Match compare-and-swap",
                "putIfMatch swaps on the current ETag, answers STALE for an old one and MISSING for a missing key"
                        + " (Silt does not rely on it)", false, ConformanceCompareAndSwap::basic);
    }

    public static ConformanceCheck race(int threads, int rounds, Duration timeout) {
        ConformanceCompareAndSwap cas = new ConformanceCompareAndSwap(threads, rounds, timeout);
        return new ConformanceCheck("If-Match race (" + threads + " writers x " + rounds + " rounds)",
                "writers racing putIfMatch with the same ETag: exactly one SWAPPED each round (Silt does not rely on"
                        + " it; S3Proxy and S3Mock let several win)", false, cas::race);
    }

    private static Result basic(ObjectStore store, ConformanceScratch scratch) {
        Optional<SupportsCompareAndSwap> capability = ConformanceStore.compareAndSwap(store);
        if (capability.isEmpty()) {
            return Result.notSupported("the store does not offer If-Match writes");
        }
        SupportsCompareAndSwap cas = capability.get();
        String key = scratch.key("cas/object");
        ObjectInfo v1 = store.put(key, utf8("v1"), Map.of());
        SwapResult swap = cas.putIfMatch(key, utf8("v2"), v1.etag(), Map.of());
        expect(swap == SwapResult.SWAPPED, () -> "putIfMatch with the current ETag answered " + swap);
        SwapResult stale = cas.putIfMatch(key, utf8("v3"), v1.etag(), Map.of());
        byte[] now = store.get(key).map(ObjectData::bytes).orElse(new byte[0]);
        expect(Arrays.equals(now, utf8("v2")), () -> "putIfMatch with a stale ETag answered " + stale
                + " and the object now holds " + Conformance.show(now));
        expect(stale == SwapResult.STALE, () -> "putIfMatch with a stale ETag answered " + stale + " instead of STALE");
        String missing = scratch.key("cas/missing");
        SwapResult gone = cas.putIfMatch(missing, utf8("v"), v1.etag(), Map.of());
        Optional<ObjectData> created = store.get(missing);
        expect(created.isEmpty(), () -> "putIfMatch on a missing key answered " + gone + " and created it");
        expect(gone == SwapResult.MISSING, () -> "putIfMatch on a missing key answered " + gone + " instead of MISSING");
        return Result.pass("SWAPPED on the current ETag, STALE on an old one, MISSING for a missing key");
    }

    private Result race(ObjectStore store, ConformanceScratch scratch) throws InterruptedException {
        Optional<SupportsCompareAndSwap> capability = ConformanceStore.compareAndSwap(store);
        if (capability.isEmpty()) {
            return Result.notSupported("the store does not offer If-Match writes");
        }
        SupportsCompareAndSwap cas = capability.get();
        List<String> problems = new ArrayList<>();
        int maxWinners = 0;
        int severalWon = 0;
        String firstError = null;
        int unknown = 0;
        try (ConformanceRace race = new ConformanceRace(threads, timeout)) {
            for (int r = 0; r < rounds; r++) {
                String key = scratch.key(String.format("cas-race/%03d", r));
                ObjectInfo initial = store.put(key, utf8("initial " + r), Map.of());
                byte[][] bodies = new byte[threads][];
                for (int t = 0; t < threads; t++) {
                    bodies[t] = body(r, t);
                }
                List<Attempt<SwapResult>> attempts = race.round(
                        t -> cas.putIfMatch(key, bodies[t], initial.etag(), Map.of()));
                List<Integer> winners = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    Attempt<SwapResult> a = attempts.get(t);
                    if (a.error() instanceof StoreUnavailableException) {
                        unknown++; // an I/O error: the write may or may not have happened
                    } else if (a.failed() && firstError == null) {
                        firstError = "round " + r + ": writer " + t + " failed: " + Conformance.describe(a.error());
                    } else if (a.value() == SwapResult.SWAPPED) {
                        winners.add(t);
                    }
                }
                maxWinners = Math.max(maxWinners, winners.size());
                severalWon += winners.size() > 1 ? 1 : 0;
                String problem = judge(store, key, winners, bodies);
                if (problem != null) {
                    problems.add("round " + r + ": " + problem);
                }
                if (ConformanceRace.timedOut(attempts)) {
                    firstError = firstError + "; the race stopped there";
                    break;
                }
            }
        }
        String unknowns = unknown == 0 ? "" : "; " + Conformance.outcomes(unknown) + " unknown (I/O errors)";
        if (maxWinners > 1) {
            return Result.fail("not atomic: up to " + maxWinners + " winners in a round (" + severalWon + " of "
                    + rounds + " rounds had several" + unknowns + "); Silt does not rely on If-Match");
        }
        if (!problems.isEmpty()) {
            return Result.fail(Conformance.summariseRounds(problems, rounds));
        }
        if (firstError != null) {
            return Result.error(firstError);
        }
        return Result.pass("atomic here: exactly one winner each round" + (unknown == 0 ? ""
                : " (" + Conformance.outcomes(unknown) + " unknown: I/O errors)"));
    }

    private static byte[] body(int round, int writer) {
        byte[] b = new byte[RACE_BODY_BYTES + writer];
        Arrays.fill(b, (byte) ('a' + writer % 26));
        byte[] head = utf8("round " + round + " writer " + writer + " ");
        System.arraycopy(head, 0, b, 0, head.length);
        return b;
    }

    private static String judge(ObjectStore store, String key, List<Integer> winners, byte[][] bodies) {
        byte[] stored = store.get(key).map(ObjectData::bytes).orElse(null);
        if (winners.isEmpty()) {
            boolean someoneWrote = stored != null && Arrays.stream(bodies).anyMatch(b -> Arrays.equals(b, stored));
            return someoneWrote ? null : "no writer won"; // the winner's answer was lost (an I/O error)
        }
        if (stored == null) {
            return "the object is missing after the race";
        }
        for (int w : winners) {
            if (Arrays.equals(stored, bodies[w])) {
                return null;
            }
        }
        return "the stored bytes are not a winner's";
    }
}
