package io.silt.storage.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.silt.storage.InMemoryObjectStore;
import io.silt.storage.ObjectInfo;
import io.silt.storage.ObjectStore;
import io.silt.storage.log.segment.Record;
import io.silt.storage.testing.ManualClock;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes every object a partition's readers parse, through the real read path: a bucket holding a topic record, a
 * partition with inline and segment batches, a checkpoint, later commit records and a compactor lease is copied,
 * one object of the copy is mutated (bit flips, truncations, extensions, random bytes, length fields set to extreme
 * values behind a recomputed CRC, other objects spliced in), and then the topic is described, the whole partition
 * read and the lease taken. Every read must either report {@link CorruptObjectException} (or
 * {@link UnsupportedFormatException}) or return exactly the records that were written; nothing else may escape, and
 * nothing may hang.
 *
 * <p>The seed and the number of inputs come from {@code -Dsilt.fuzz.seed} and {@code -Dsilt.fuzz.iterations}
 * (default 1500, a few seconds); the long run is in docs/reliability.md.
 */
class LogObjectFuzzTest {
    private static final System.Logger LOG = System.getLogger(LogObjectFuzzTest.class.getName());
    static final int ITERATIONS = Integer.getInteger("silt.fuzz.iterations", 1500);
    static final long SEED = Long.getLong("silt.fuzz.seed", 20261124L);
    private static final int[] EXTREME_INTS = {-1, Integer.MIN_VALUE, Integer.MAX_VALUE, 0x7FFFFFF0, 0, 1, 65_535};

    /** How an object is damaged. The ones marked {@code validCrc} recompute the trailing CRC32C afterwards. */
    enum Mutation {
        BIT_FLIP(false), BYTES(false), TRUNCATE(false), EXTEND(false), RANDOM(false), EMPTY(false),
        EXTREME_INT(true), STRUCTURE(true), SPLICE(true);

        final boolean validCrc;

        Mutation(boolean validCrc) {
            this.validCrc = validCrc;
        }
    }

    private static final ManualClock CLOCK = new ManualClock();
    private static final ExecutorService POOL = Executors.newFixedThreadPool(2);
    private static final Map<String, byte[]> PRISTINE = new LinkedHashMap<>();
    private static List<Object> written;
    private static String prefix;

    @BeforeAll
    static void buildBucket() {
        InMemoryObjectStore store = new InMemoryObjectStore(CLOCK);
        TopicDescription topic = new Topics(store, CLOCK, new SplittableRandom(1)).create("orders", TopicConfig.of(1));
        prefix = topic.partitionPrefix(0);
        LogConfig config = LogConfig.DEFAULTS.withInlineThreshold(1024);
        PartitionWriter w = new PartitionWriter(store, prefix, config, CLOCK, CLOCK::nanoTime,
                new SplittableRandom(2), POOL);
        List<Record> all = new ArrayList<>();
        ProducerId producer = new ProducerId(77, 3);
        int seq = 0;
        for (int b = 0; b < 6; b++) {
            if (b == 4) {
                new PartitionCompactor(store, config, CompactionPolicy.DEFAULTS, CLOCK, CLOCK::nanoTime,
                        new SplittableRandom(3), 1).compact(prefix, TopicConfig.of(1));
            }
            // alternate inline batches (a few small records) and segment batches
            List<Record> rs = PartitionLogContract.records("b" + b, b % 2 == 0 ? 3 : 60, b % 2 == 0 ? 20 : 120,
                    CLOCK.millis() + b);
            w.append(PartitionLogContract.batch(producer, seq, rs)).join();
            seq += rs.size();
            all.addAll(rs);
        }
        CompactorLease lease = new CompactorLease(store, "fuzz-a", Duration.ofMinutes(1), Duration.ofSeconds(5),
                CLOCK, CLOCK::nanoTime, new SplittableRandom(4));
        assertThat(lease.tryAcquire()).isInstanceOf(CompactorLease.Acquisition.Acquired.class);
        for (ObjectInfo info : store.listAll("")) {
            PRISTINE.put(info.key(), store.get(info.key()).orElseThrow().bytes());
        }
        written = readBack(copyWith(null, null));
        assertThat(written.subList(3, written.size())).extracting(r -> ((LogRecord) r).record()).isEqualTo(all);
        assertThat(PRISTINE.keySet()).anyMatch(k -> k.contains("/log/")).anyMatch(k -> k.contains("/seg"))
                .anyMatch(k -> k.startsWith(CompactorLease.PREFIX)).hasSizeGreaterThan(8);
    }

    @AfterAll
    static void stopPool() {
        POOL.shutdownNow();
    }

    private static InMemoryObjectStore copyWith(String key, byte[] replacement) {
        InMemoryObjectStore copy = new InMemoryObjectStore(CLOCK);
        PRISTINE.forEach((k, v) -> copy.put(k, k.equals(key) ? replacement : v));
        return copy;
    }

    /**
     * Everything a reader of the bucket parses: the topic list and description, the lease records, the partition
     * from its start offset.
     */
    private static List<Object> readBack(ObjectStore store) {
        Topics topics = new Topics(store, CLOCK, new SplittableRandom(5));
        List<Object> seen = new ArrayList<>();
        seen.add(topics.list());
        seen.add(topics.describe("orders").map(TopicDescription::config));
        new CompactorLease(store, "fuzz-b", Duration.ofMinutes(1), Duration.ofSeconds(5), CLOCK, CLOCK::nanoTime,
                new SplittableRandom(6)).tryAcquire();
        PartitionReader reader = new PartitionReader(store, prefix, LogConfig.DEFAULTS, CLOCK::nanoTime);
        seen.add(reader.startOffset());
        seen.addAll(PartitionLogContract.readAll(reader, reader.startOffset()));
        return seen;
    }

    private static boolean hasCrcTrailer(byte[] b) {
        if (b.length < 4) {
            return false;
        }
        CRC32C crc = new CRC32C();
        crc.update(b, 0, b.length - 4);
        return (int) crc.getValue() == readInt(b, b.length - 4);
    }

    private static int readInt(byte[] b, int at) {
        return ((b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
    }

    private static void putInt(byte[] b, int at, int v) {
        for (int i = 0; i < 4; i++) {
            b[at + i] = (byte) (v >>> (24 - 8 * i));
        }
    }

    private static byte[] withCrc(byte[] body) {
        byte[] out = Arrays.copyOf(body, body.length + 4);
        CRC32C crc = new CRC32C();
        crc.update(body);
        putInt(out, body.length, (int) crc.getValue());
        return out;
    }

    static byte[] mutate(Mutation m, byte[] clean, SplittableRandom random, List<byte[]> others) {
        byte[] b = clean.clone();
        switch (m) {
            case BIT_FLIP -> b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
            case BYTES -> {
                int n = 1 + random.nextInt(8);
                for (int i = 0; i < n; i++) {
                    b[random.nextInt(b.length)] = (byte) random.nextInt(256);
                }
            }
            case TRUNCATE -> b = Arrays.copyOf(clean, random.nextInt(clean.length));
            case EXTEND -> {
                b = Arrays.copyOf(clean, clean.length + 1 + random.nextInt(64));
                for (int i = clean.length; i < b.length; i++) {
                    b[i] = (byte) random.nextInt(256);
                }
            }
            case RANDOM -> {
                b = new byte[random.nextInt(2 * clean.length + 1)];
                random.nextBytes(b);
            }
            case EMPTY -> b = new byte[0];
            case EXTREME_INT -> {
                byte[] body = Arrays.copyOf(clean, clean.length - 4);
                putInt(body, random.nextInt(body.length - 3), EXTREME_INTS[random.nextInt(EXTREME_INTS.length)]);
                b = withCrc(body);
            }
            case STRUCTURE -> {
                byte[] body = Arrays.copyOf(clean, clean.length - 4 - random.nextInt(Math.min(8,
                        clean.length - 4) + 1));
                int n = 1 + random.nextInt(4);
                for (int i = 0; i < n && body.length > 0; i++) {
                    body[random.nextInt(body.length)] = (byte) random.nextInt(256);
                }
                b = withCrc(body);
            }
            case SPLICE -> b = others.get(random.nextInt(others.size())).clone();
        }
        return b;
    }

    @Test
    void everyMutatedObjectIsReportedAsCorruptOrReadsBackExactly() {
        List<String> keys = new ArrayList<>(PRISTINE.keySet());
        List<byte[]> crcObjects = PRISTINE.values().stream().filter(LogObjectFuzzTest::hasCrcTrailer).toList();
        Map<Mutation, int[]> outcomes = new EnumMap<>(Mutation.class); // rejected, identical, other valid
        String[] current = {""};
        assertTimeoutPreemptively(Duration.ofSeconds(Math.max(120, ITERATIONS / 10)), () -> {
            SplittableRandom random = new SplittableRandom(SEED);
            for (int i = 0; i < ITERATIONS; i++) {
                String key = keys.get(random.nextInt(keys.size()));
                byte[] clean = PRISTINE.get(key);
                Mutation[] applicable = hasCrcTrailer(clean) ? Mutation.values()
                        : Arrays.stream(Mutation.values()).filter(m -> !m.validCrc).toArray(Mutation[]::new);
                Mutation m = applicable[random.nextInt(applicable.length)];
                byte[] mutated = mutate(m, clean, random, crcObjects);
                current[0] = "input " + i + " (seed " + SEED + "): " + m + " of " + key + ", " + clean.length + " -> "
                        + mutated.length + " bytes";
                int[] counts = outcomes.computeIfAbsent(m, x -> new int[3]);
                try {
                    List<Object> got = readBack(copyWith(key, mutated));
                    if (got.equals(written)) {
                        counts[1]++;
                    } else {
                        assertThat(m.validCrc).as("%s returned different records without reporting corruption",
                                current[0]).isTrue();
                        counts[2]++;
                    }
                } catch (CorruptObjectException | UnsupportedFormatException e) {
                    assertThat(e.getMessage()).as(current[0]).isNotBlank();
                    counts[0]++;
                } catch (Throwable t) {
                    throw new AssertionError(current[0] + ": threw " + t, t);
                }
            }
        }, () -> "hung at " + current[0]);
        int rejected = outcomes.values().stream().mapToInt(c -> c[0]).sum();
        LOG.log(Level.INFO, () -> "log object fuzz: " + ITERATIONS + " inputs (seed " + SEED + "), " + rejected
                + " reported as corrupt; per mutation [rejected, read back identical, other valid]: "
                + outcomes.entrySet().stream().map(e -> e.getKey() + "=" + Arrays.toString(e.getValue()))
                        .toList());
        // every damage that a CRC guards is caught, so most inputs must have been rejected
        assertThat(rejected).isGreaterThan(ITERATIONS / 3);
    }
}
