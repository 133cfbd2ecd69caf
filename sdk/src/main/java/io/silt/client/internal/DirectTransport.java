package io.silt.client.internal;

import io.silt.client.InvalidRequestException;
import io.silt.client.RetriableSiltException;
import io.silt.client.TopicInfo;
import io.silt.client.UnknownTopicException;
import io.silt.storage.ObjectStore;
import io.silt.storage.log.CompactionPolicy;
import io.silt.storage.log.CompactionReport;
import io.silt.storage.log.LogConfig;
import io.silt.storage.log.LogRecord;
import io.silt.storage.log.PartitionCompactor;
import io.silt.storage.log.PartitionReader;
import io.silt.storage.log.PartitionView;
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
    private static final int PURGE_ATTEMPTS = 5;
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

    @Override
    public SplittableRandom newRandom() {
        return split();
    }

    /** The bucket. */
    public ObjectStore store() {
        return store;
    }

    /** The bucket itself: groups and queues keep their state next to the topics. */
    @Override
    public ObjectStore stateStore() {
        return store;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public LongSupplier nanoTime() {
        return nanoTime;
    }

    @Override
    public Sleeper sleeper() {
        return sleeper;
    }

    public Topics topics() {
        return topics;
    }

    @Override
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

    @Override
    public void forget(String name) {
        topicCache.remove(name);
    }

    /**
     * Reads each partition's view (a few requests per partition: an admin operation, not a hot path). Only commit
     * records count towards the production rate: checkpointed entries carry the checkpoint's time, not their
     * commit's.
     */
    @Override
    public TopicFigures describe(String name, Duration window) {
        try {
            TopicDescription d = fresh(name);
            long since = clock.millis() - window.toMillis();
            List<TopicInfo.PartitionInfo> infos = new ArrayList<>();
            long produced = 0;
            for (int p = 0; p < d.config().partitions(); p++) {
                PartitionView v = PartitionView.open(store, d.partitionPrefix(p), logConfig, nanoTime);
                long bytes = 0;
                for (PartitionView.Located l : v.entries().values()) {
                    bytes += l.entry().dataBytes();
                    if (l.commitSeq() >= 0 && l.commitTimeMillis() >= since) {
                        produced += l.entry().recordCount();
                    }
                }
                infos.add(new TopicInfo.PartitionInfo(p, v.startOffset(), v.endOffset(), bytes));
            }
            return new TopicFigures(meta(d), List.copyOf(infos), produced / (double) window.toSeconds());
        } catch (RuntimeException e) {
            throw Errors.translate(e);
        }
    }

    /** The topic as stored now (not the cache, which may predate a delete or an alteration). */
    private TopicDescription fresh(String name) {
        topicCache.remove(name);
        return description(name);
    }

    /**
     * Runs one compaction of each partition whose policy also expires every entry up to the end offset seen when the
     * run starts ({@link CompactionPolicy#withPurgeBefore}). The new checkpoint moves the start offset to that end;
     * records appended meanwhile stay. Data objects are deleted later by garbage collection, after the grace period,
     * so readers that are mid-way finish safely. The run is not a leased compactor (epoch 0): a scheduled compactor
     * that writes the same checkpoint number first makes this run lose the race, and it tries again.
     */
    @Override
    public void purge(String name) {
        try {
            TopicDescription d = fresh(name);
            for (int p = 0; p < d.config().partitions(); p++) {
                purgePartition(d, p);
            }
        } catch (RuntimeException e) {
            throw Errors.translate(e);
        }
    }

    private void purgePartition(TopicDescription d, int partition) {
        String prefix = d.partitionPrefix(partition);
        for (int attempt = 1; attempt <= PURGE_ATTEMPTS; attempt++) {
            long end = PartitionView.openForWriting(store, prefix, logConfig, nanoTime).endOffset();
            if (end == 0) {
                return;
            }
            PartitionCompactor compactor = new PartitionCompactor(store, logConfig,
                    CompactionPolicy.DEFAULTS.withPurgeBefore(end), clock, nanoTime, split(), 0);
            CompactionReport report = compactor.compact(prefix, d.config());
            switch (report.outcome()) {
                case CHECKPOINTED, UP_TO_DATE -> {
                    return;
                }
                case UNKNOWN -> throw new RetriableSiltException("purge of " + d.name() + "-" + partition + ": "
                        + "whether its checkpoint was written is unknown; run the purge again");
                case LOST_RACE -> {
                    // a compactor checkpointed first: plan again on top of its checkpoint
                }
            }
        }
        throw new RetriableSiltException("purge of " + d.name() + "-" + partition + " lost " + PURGE_ATTEMPTS
                + " checkpoint races to other compactors in a row; run it again");
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

    @Override
    public void checkPartition(String topic, int partition) {
        prefix(topic, partition);
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

    @Override
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
                d.config().retentionBytes(), d.incarnation());
    }
}
