package io.silt.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.silt.storage.LatencyModelObjectStore.LogNormal;
import io.silt.storage.LatencyModelObjectStore.Profile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class LatencyModelObjectStoreTest {
    private static final int SAMPLES = 40_000;

    private final List<Duration> sleeps = new ArrayList<>();
    private final Sleeper recording = sleeps::add;
    private final InMemoryObjectStore memory = new InMemoryObjectStore();

    private LatencyModelObjectStore store(Profile profile) {
        return LatencyModelObjectStore.wrap(memory, profile, recording, new SplittableRandom(42));
    }

    /** Each request's whole delay in ms: the sum of its two sleeps. */
    private double[] perRequestMillis() {
        assertThat(sleeps.size() % 2).isZero();
        double[] out = new double[sleeps.size() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (sleeps.get(2 * i).toNanos() + sleeps.get(2 * i + 1).toNanos()) / 1e6;
        }
        Arrays.sort(out);
        return out;
    }

    private static double percentile(double[] sorted, double p) {
        return sorted[(int) Math.ceil(p * sorted.length) - 1];
    }

    private double[] sample(LatencyModelObjectStore s, Consumer<LatencyModelObjectStore> request) {
        sleeps.clear();
        for (int i = 0; i < SAMPLES; i++) {
            request.accept(s);
        }
        return perRequestMillis();
    }

    @Test
    void sigmaIsDerivedFromTheMedianAndThe99thPercentile() {
        LogNormal put = Profile.S3_STANDARD.write();
        assertThat(put.mu()).isCloseTo(Math.log(25), within(1e-12));
        assertThat(put.sigma()).isCloseTo((Math.log(120) - Math.log(25)) / 2.3263, within(1e-12));
        assertThat(put.meanMillis()).isGreaterThan(25).isLessThan(40);
        assertThatThrownBy(() -> new LogNormal(10, 5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void putDelaysFollowTheStandardProfile() {
        LatencyModelObjectStore s = store(Profile.S3_STANDARD);
        int[] n = {0};
        double[] d = sample(s, x -> x.put("k/" + (n[0]++ % 100), new byte[0]));
        assertThat(percentile(d, 0.50)).isCloseTo(25, within(1.0));
        assertThat(percentile(d, 0.99)).isCloseTo(120, within(10.0));
        assertThat(s.requests()).isEqualTo(SAMPLES);
    }

    @Test
    void readsHeadsAndMissesFollowTheReadDistribution() {
        memory.put("present", new byte[10]);
        LatencyModelObjectStore s = store(Profile.S3_STANDARD);
        double[] miss = sample(s, x -> assertThat(x.get("missing")).isEmpty());
        assertThat(percentile(miss, 0.50)).isCloseTo(15, within(0.6));
        assertThat(percentile(miss, 0.99)).isCloseTo(80, within(7.0));
        double[] heads = sample(s, x -> assertThat(x.head("present")).isPresent());
        assertThat(percentile(heads, 0.50)).isCloseTo(15, within(0.6));
        assertThat(percentile(heads, 0.99)).isCloseTo(80, within(7.0));
    }

    @Test
    void expressIsAboutATenthOfStandard() {
        LatencyModelObjectStore s = store(Profile.S3_EXPRESS_ONE_ZONE);
        double[] d = sample(s, x -> x.putIfAbsent("k", new byte[0]));
        assertThat(percentile(d, 0.50)).isCloseTo(2.5, within(0.1));
        assertThat(percentile(d, 0.99)).isCloseTo(12, within(1.0));
        assertThat(Profile.named("express")).isEqualTo(Profile.S3_EXPRESS_ONE_ZONE);
        assertThat(Profile.named("s3-standard")).isEqualTo(Profile.S3_STANDARD);
    }

    @Test
    void transferTimeIsAddedPerMiBBeforeAWriteAndAfterARead() {
        Profile noBase = new Profile("flat", new LogNormal(1e-9, 1e-9), new LogNormal(1e-9, 1e-9), 25, 8);
        LatencyModelObjectStore s = store(noBase);
        s.put("big", new byte[2 << 20]);
        assertThat(sleeps.get(0).toNanos() / 1e6).isCloseTo(50, within(0.01));
        assertThat(sleeps.get(1).toNanos() / 1e6).isCloseTo(0, within(0.01));
        sleeps.clear();
        assertThat(s.get("big", ByteRange.of(0, 1 << 20))).isPresent();
        assertThat(sleeps.get(0).toNanos() / 1e6).isCloseTo(0, within(0.01));
        assertThat(sleeps.get(1).toNanos() / 1e6).isCloseTo(8, within(0.01));
    }

    @Test
    void passesAnswersThroughAndKeepsCompareAndSwapVisible() {
        LatencyModelObjectStore s = store(Profile.S3_EXPRESS_ONE_ZONE);
        assertThat(s).isInstanceOf(SupportsCompareAndSwap.class);
        assertThat(s.putIfAbsent("a", new byte[] {1})).isInstanceOf(CreateResult.Created.class);
        assertThat(s.putIfAbsent("a", new byte[] {2})).isInstanceOf(CreateResult.AlreadyExists.class);
        assertThat(s.get("a").orElseThrow().bytes()).containsExactly(1);
        assertThat(s.list("", null, 10).objects()).hasSize(1);
        s.deleteAll(List.of("a"));
        assertThat(memory.get("a")).isEmpty();
        assertThat(s.describe()).contains("s3-express-one-zone");

        ObjectStore plain = new ObjectStore() {
            @Override public java.util.Optional<ObjectData> get(String key) {
                throw new StoreUnavailableException(StoreUnavailableException.Reason.SERVER_ERROR, "boom");
            }
            @Override public java.util.Optional<ObjectData> get(String key, ByteRange range) { return memory.get(key, range); }
            @Override public ConditionalGet getIfChanged(String key, String etag) { return memory.getIfChanged(key, etag); }
            @Override public java.util.Optional<ObjectInfo> head(String key) { return memory.head(key); }
            @Override public ObjectInfo put(String key, byte[] data, java.util.Map<String, String> m) { return memory.put(key, data, m); }
            @Override public CreateResult putIfAbsent(String key, byte[] data, java.util.Map<String, String> m) { return memory.putIfAbsent(key, data, m); }
            @Override public ListPage list(String prefix, String after, int max) { return memory.list(prefix, after, max); }
            @Override public void delete(String key) { memory.delete(key); }
            @Override public String describe() { return "plain"; }
        };
        LatencyModelObjectStore wrapped = LatencyModelObjectStore.wrap(plain, Profile.S3_STANDARD, recording,
                new SplittableRandom(1));
        assertThat(wrapped).isNotInstanceOf(SupportsCompareAndSwap.class);
        sleeps.clear();
        assertThatThrownBy(() -> wrapped.get("x")).isInstanceOf(StoreUnavailableException.class);
        assertThat(sleeps).hasSize(2); // a failed request is delayed too
        assertThat(wrapped.addedDelay()).isPositive();
    }

    @Test
    void sameSeedSameDelays() {
        List<Duration> first = new ArrayList<>();
        List<Duration> second = new ArrayList<>();
        LatencyModelObjectStore a = LatencyModelObjectStore.wrap(memory, Profile.S3_STANDARD, first::add,
                new SplittableRandom(7));
        LatencyModelObjectStore b = LatencyModelObjectStore.wrap(memory, Profile.S3_STANDARD, second::add,
                new SplittableRandom(7));
        for (int i = 0; i < 50; i++) {
            a.head("k");
            b.head("k");
        }
        assertThat(first).isEqualTo(second);
    }
}
