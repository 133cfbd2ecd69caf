package io.silt.client.internal;

import io.silt.client.InvalidRequestException;
import io.silt.client.UnknownTopicException;
import io.silt.storage.ObjectStore;
import io.silt.storage.log.LogConfig;
import io.silt.storage.log.LogRecord;
import io.silt.storage.log.PartitionReader;
import io.silt.storage.log.PartitionWriter;
import io.silt.storage.log.PreparedBatch;
import io.silt.storage.log.ProducerId;
import io.silt.storage.log.TopicConfig;
import io.silt.storage.log.TopicDescription;
import io.silt.storage.log.Topics;
import io.silt.storage.log.segment.Compression;
import io.silt.storage.log.segment.Record;
import io.silt.storage.log.segment.SegmentConfig;
import io.silt.storage.log.segment.SegmentWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The SDK working on the bucket itself: topics through {@link Topics}, appends through one {@link PartitionWriter}
 * per partition per process (group commit), reads through {@link PartitionReader}s. No servers at all.
 */
public final class DirectTransport implements Transport {
    private final ObjectStore store;
    private final Topics topics;
    private final LogConfig logConfig;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final SplittableRandom random;
    private final ExecutorService executor;
    private final Sleeper sleeper;
    private final Map<String, PartitionWriter> writers = new ConcurrentHashMap<>();
    private final Map<String, PartitionReader> readers = new ConcurrentHashMap<>();
    private final Map<String, TopicDescription> topicCache = new ConcurrentHashMap<>();
    /** How batches are encoded unless the producer says otherwise. */
    private final SegmentConfig segmentConfig = SegmentConfig.defaults();
    private final java.util.Set<Runnable> closeHooks = ConcurrentHashMap.newKeySet();

    /** Waits; injected so that tests of long polls do not sleep. */
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;

        Sleeper REAL = d -> Thread.sleep(Math.max(0, d.toMillis()), (int) (d.toNanos() % 1_000_000));
    }

    public DirectTransport(ObjectStore store, LogConfig logConfig, Clock clock, LongSupplier nanoTime, long seed,
                           Sleeper sleeper) {
        this.store = store;
        this.logConfig = logConfig;
        this.clock = clock;
        this.nanoTime = nanoTime;
        this.random = new SplittableRandom(seed);
        this.topics = new Topics(store, clock, split());
        this.sleeper = sleeper;
        AtomicInteger n = new AtomicInteger();
        ThreadFactory tf = r -> {
            Thread t = new Thread(r, "silt-io-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.executor = Executors.newCachedThreadPool(tf);
    }

    private synchronized SplittableRandom split() {
        return random.split();
    }

    /** A new random source split from the client's seeded one (deterministic for a given seed and call order). */
    public SplittableRandom newRandom() {
        return split();
    }

    public ObjectStore store() {
        return store;
    }

    public Clock clock() {
        return clock;
    }

    public LongSupplier nanoTime() {
        return nanoTime;
    }

    /** How this transport waits; consumers use it too, so tests of polling need not sleep. */
    public Sleeper sleeper() {
        return sleeper;
    }

    public Topics topics() {
        return topics;
    }

    public LogConfig logConfig() {
        return logConfig;
    }

    @Override
    public String target() {
        return store.describe();
    }

    @Override
    public TopicMeta createTopic(String name, int partitions, Optional<Duration> retentionTime,
                                 Optional<Long> retentionBytes) {
        try {
            TopicDescription d = topics.create(name, new TopicConfig(partitions, retentionTime, retentionBytes));
            topicCache.put(name, d);
            return meta(d);
        } catch (RuntimeException e) {
            throw Errors.translate(e);
        }
    }

    @Override
    public TopicMeta topic(String name) {
        return meta(description(name));
    }

    /** The live topic, cached; a deleted and re-created topic is noticed on the next miss. */
    public TopicDescription description(String name) {
        TopicDescription d = topicCache.get(name);
        if (d != null) {
            return d;
        }
        try {
            d = topics.describe(name).orElseThrow(() -> new UnknownTopicException("topic '" + name
                    + "' does not exist; create it first (silt topics create " + name + ")"));
        } catch (RuntimeException e) {
            throw Errors.translate(e);
        }
        topicCache.put(name, d);
        return d;
    }

    /** Forgets the cached description of a topic (after it was deleted or altered elsewhere). */
    public void forget(String name) {
        topicCache.remove(name);
    }

    @Override
    public List<String> listTopics() {
        try {
            return topics.list();
        } catch (RuntimeException e) {
            throw Errors.translate(e);
        }
    }

    @Override
    public boolean deleteTopic(String name) {
        try {
            topicCache.remove(name);
            return topics.delete(name);
        } catch (RuntimeException e) {
            throw Errors.translate(e);
        }
    }

    @Override
    public TopicMeta alterRetention(String name, Optional<Duration> retentionTime, Optional<Long> retentionBytes) {
        try {
            TopicDescription d = topics.alterRetention(name, retentionTime, retentionBytes);
            topicCache.put(name, d);
            return meta(d);
        } catch (RuntimeException e) {
            throw Errors.translate(e);
        }
    }

    /** The partition's key prefix in the bucket. */
    public String prefix(String topic, int partition) {
        TopicDescription d = description(topic);
        if (partition < 0 || partition >= d.config().partitions()) {
            throw new InvalidRequestException("topic '" + topic + "' has partitions 0.."
                    + (d.config().partitions() - 1) + "; there is no partition " + partition);
        }
        return d.partitionPrefix(partition);
    }

    @Override
    public CompletableFuture<AppendAck> append(String topic, int partition, long producerId, int epoch,
                                               int firstSequence, List<Record> records) {
        return append(topic, partition, producerId, epoch, firstSequence, records, segmentConfig);
    }

    @Override
    public CompletableFuture<AppendAck> append(String topic, int partition, long producerId, int epoch,
                                               int firstSequence, List<Record> records, Encoding encoding) {
        SegmentConfig config;
        try {
            config = segmentConfig.withCompression(encoding.compress() ? Compression.LZ4 : Compression.NONE)
                    .withMaxRecordBytes(encoding.maxRecordBytes());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(Errors.translate(e));
        }
        return append(topic, partition, producerId, epoch, firstSequence, records, config);
    }

    private CompletableFuture<AppendAck> append(String topic, int partition, long producerId, int epoch,
                                                int firstSequence, List<Record> records, SegmentConfig config) {
        try {
            if (records.isEmpty()) {
                throw new InvalidRequestException("a batch holds at least one record");
            }
            String prefix = prefix(topic, partition);
            SegmentWriter w = new SegmentWriter(config);
            for (Record r : records) {
                w.append(r);
            }
            ProducerId pid = producerId == 0 ? ProducerId.NONE : new ProducerId(producerId, epoch);
            PartitionWriter writer = writers.computeIfAbsent(prefix, p -> new PartitionWriter(store, p, logConfig,
                    clock, nanoTime, split(), executor));
            return writer.append(PreparedBatch.of(pid, firstSequence, w.finish()))
                    .handle((r, e) -> {
                        if (e != null) {
                            throw Errors.translate(e);
                        }
                        return new AppendAck(r.baseOffset(), r.recordCount(), r.duplicate());
                    });
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(Errors.translate(e));
        }
    }

    private PartitionReader reader(String topic, int partition) {
        String prefix = prefix(topic, partition);
        return readers.computeIfAbsent(prefix, p -> new PartitionReader(store, p, logConfig, nanoTime));
    }

    @Override
    public FetchResult fetch(String topic, int partition, long offset, int maxRecords, long maxBytes, Duration wait) {
        try {
            PartitionReader r = reader(topic, partition);
            long deadline = nanoTime.getAsLong() + wait.toNanos();
            Duration backoff = Duration.ofMillis(20);
            while (true) {
                List<LogRecord> got;
                synchronized (r) {
                    got = r.read(offset, maxRecords, maxBytes);
                }
                if (!got.isEmpty() || nanoTime.getAsLong() >= deadline) {
                    List<Fetched> out = new ArrayList<>(got.size());
                    for (LogRecord lr : got) {
                        out.add(new Fetched(lr.offset(), lr.record()));
                    }
                    synchronized (r) {
                        return new FetchResult(out, r.startOffset(), r.endOffset());
                    }
                }
                long left = deadline - nanoTime.getAsLong();
                sleeper.sleep(Duration.ofNanos(Math.min(backoff.toNanos(), Math.max(0, left))));
                backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(1)) > 0
                        ? Duration.ofSeconds(1) : backoff.multipliedBy(2);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new io.silt.client.SiltException("interrupted while waiting for records", e);
        } catch (RuntimeException e) {
            throw Errors.translate(e);
        }
    }

    @Override
    public long[] offsets(String topic, int partition) {
        try {
            PartitionReader r = reader(topic, partition);
            synchronized (r) {
                r.refresh();
                return new long[] {r.startOffset(), r.endOffset()};
            }
        } catch (RuntimeException e) {
            throw Errors.translate(e);
        }
    }

    @Override
    public long offsetForTimestamp(String topic, int partition, long timestamp) {
        try {
            PartitionReader r = reader(topic, partition);
            synchronized (r) {
                return r.offsetForTimestamp(timestamp);
            }
        } catch (RuntimeException e) {
            throw Errors.translate(e);
        }
    }

    /**
     * Runs {@code hook} when this transport closes, before its threads and connections go (producers flush there).
     * Returns an action that removes the hook again (for a producer closed before its client).
     */
    public Runnable onClose(Runnable hook) {
        closeHooks.add(hook);
        return () -> closeHooks.remove(hook);
    }

    @Override
    public void close() {
        for (Runnable hook : List.copyOf(closeHooks)) {
            try {
                hook.run();
            } catch (RuntimeException e) {
                System.getLogger(DirectTransport.class.getName()).log(System.Logger.Level.WARNING,
                        "a close hook failed", e);
            }
        }
        closeHooks.clear();
        executor.shutdown();
        store.close();
    }

    private static TopicMeta meta(TopicDescription d) {
        return new TopicMeta(d.name(), d.config().partitions(), d.config().retentionTime(),
                d.config().retentionBytes());
    }
}
