package io.silt.bench;

import io.silt.bench.SdkBench.Bench;
import io.silt.bench.SdkBench.Options;
import io.silt.client.Consumer;
import io.silt.client.ConsumerConfig;
import io.silt.client.ConsumerRecord;
import io.silt.client.Producer;
import io.silt.client.ProducerConfig;
import io.silt.client.ProducerRecord;
import io.silt.client.RecordMetadata;
import io.silt.client.Silt;
import io.silt.client.SiltClient;
import io.silt.client.TopicPartition;
import io.silt.storage.CountingObjectStore;
import io.silt.storage.ObjectStores;
import io.silt.storage.RequestCounts;
import io.silt.storage.RetryingObjectStore;
import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;

/**
 * a and b: one {@link Producer} sends 1 KiB records (no key: the sticky partitioner spreads batches over the
 * partitions) as fast as {@code send} accepts them for warm-up + measured time; the records acknowledged within the
 * measured window give MB/s. Then a fresh client's {@link Consumer} (no group, assign all partitions, from the
 * beginning, default settings) reads all of it: MB/s of record bytes from the first poll to the last record.
 */
final class SdkThroughputBench {
    private static final System.Logger LOG = System.getLogger(SdkThroughputBench.class.getName());
    static final String MBPS = "MB/s";
    static final String TOPIC = "bench";

    private SdkThroughputBench() {}

    static void run(Options o, Path dir, int partitions, int run, Result.Builder result) {
        String target = "file:" + dir.toAbsolutePath();
        String produceCfg = String.format(Locale.ROOT, "%d partition%s, batch %d KiB, linger %d ms", partitions,
                partitions == 1 ? "" : "s", o.batchBytes() >> 10, o.linger().toMillis());
        long recordBytes = o.recordBytes();
        long produced;
        // What Silt.connect("file:...") opens (retrying filesystem store, fsync on), counted: PUTs tell the batch size.
        CountingObjectStore counting = CountingObjectStore.wrap(RetryingObjectStore.wrap(ObjectStores.open(target)));
        try (SiltClient client = Silt.builder(target).store(counting).build()) {
            client.admin().createTopic(TOPIC, partitions);
            byte[][] values = values(o.recordBytes(), 4096, o.seed() + run);
            ProducerConfig pc = ProducerConfig.defaults().withBatchBytes(o.batchBytes()).withLinger(o.linger());
            LongAdder acked = new LongAdder();
            LongAdder failed = new LongAdder();
            LongAdder sent = new LongAdder();
            AtomicBoolean measuring = new AtomicBoolean();
            BiConsumer<RecordMetadata, Throwable> onAck = (m, e) -> {
                if (e != null) {
                    failed.increment();
                } else if (measuring.get()) {
                    acked.increment();
                }
            };
            try (Producer producer = client.producer(pc)) {
                long start = System.nanoTime();
                long warmEnd = start + o.warmup().toNanos();
                long end = warmEnd + o.measure().toNanos();
                long t0 = 0;
                long cpu0 = 0;
                RequestCounts puts0 = RequestCounts.ZERO;
                int i = 0;
                while (true) {
                    long now = System.nanoTime();
                    if (t0 == 0 && now >= warmEnd) {
                        measuring.set(true);
                        t0 = System.nanoTime();
                        cpu0 = processCpuNanos();
                        puts0 = counting.counts();
                    }
                    if (now >= end) {
                        break;
                    }
                    producer.send(ProducerRecord.of(TOPIC, null, values[i++ & (values.length - 1)]))
                            .whenComplete(onAck);
                    sent.increment();
                }
                measuring.set(false);
                long t1 = System.nanoTime();
                long cpu1 = processCpuNanos();
                RequestCounts window = counting.counts().minus(puts0);
                double seconds = (t1 - t0) / 1e9;
                double records = acked.sum();
                double mbps = records * recordBytes / seconds / 1e6;
                result.add(Bench.PRODUCE.title, run, produceCfg, MBPS, mbps, ">= 100", mbps >= 100);
                result.add(Bench.PRODUCE.title, run, produceCfg, "records/s", records / seconds);
                if (records > 0) {
                    result.add(Bench.PRODUCE.title, run, produceCfg, "process CPU s per GB",
                            (cpu1 - cpu0) / 1e9 / (records * recordBytes / 1e9));
                }
                // Each batch is two PUTs (its segment, then a commit record, which group commit may share).
                result.add(Bench.PRODUCE.title, run, produceCfg, "store PUTs/s", window.puts() / seconds);
                if (window.puts() > 0) {
                    result.add(Bench.PRODUCE.title, run, produceCfg, "KiB written per PUT",
                            window.bytesWritten() / 1024.0 / window.puts());
                }
                producer.flush();
                if (failed.sum() > 0) {
                    throw new IllegalStateException(failed.sum() + " sends failed");
                }
                produced = sent.sum();
            }
        }
        if (!o.benchmarks().contains(Bench.CONSUME)) {
            return;
        }
        String consumeCfg = String.format(Locale.ROOT, "%d partition%s, %,d records, defaults (max.poll %d)",
                partitions, partitions == 1 ? "" : "s", produced, ConsumerConfig.defaults().maxPollRecords());
        try (SiltClient client = Silt.connect(target)) { // a fresh client: nothing cached
            ConsumerConfig cc = ConsumerConfig.defaults().withAutoOffsetReset(ConsumerConfig.OffsetReset.EARLIEST);
            try (Consumer consumer = client.consumer(cc)) {
                List<TopicPartition> all = new ArrayList<>();
                for (int p = 0; p < partitions; p++) {
                    all.add(new TopicPartition(TOPIC, p));
                }
                long t0 = System.nanoTime();
                long cpu0 = processCpuNanos();
                consumer.assign(all);
                Map<TopicPartition, Long> end = consumer.endOffsets(all);
                long records = 0;
                long bytes = 0;
                long deadline = t0 + TimeUnit.MINUTES.toNanos(5);
                while (!caughtUp(consumer, end)) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("the consumer did not catch up within 5 minutes");
                    }
                    for (ConsumerRecord r : consumer.poll(Duration.ofMillis(100))) {
                        records++;
                        bytes += (r.value() == null ? 0 : r.value().length) + (r.key() == null ? 0 : r.key().length);
                    }
                }
                long t1 = System.nanoTime();
                long cpu1 = processCpuNanos();
                double seconds = (t1 - t0) / 1e9;
                double mbps = bytes / seconds / 1e6;
                if (records != produced) {
                    LOG.log(Level.WARNING, "consumed " + records + " records, produced " + produced);
                }
                result.add(Bench.CONSUME.title, run, consumeCfg, MBPS, mbps, ">= 200", mbps >= 200);
                result.add(Bench.CONSUME.title, run, consumeCfg, "records/s", records / seconds);
                result.add(Bench.CONSUME.title, run, consumeCfg, "seconds", seconds);
                if (bytes > 0) {
                    result.add(Bench.CONSUME.title, run, consumeCfg, "process CPU s per GB",
                            (cpu1 - cpu0) / 1e9 / (bytes / 1e9));
                }
            }
        }
    }

    private static boolean caughtUp(Consumer consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** {@code n} (a power of two) random, incompressible values. */
    static byte[][] values(int size, int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[][] out = new byte[n][size];
        for (byte[] v : out) {
            random.nextBytes(v);
        }
        return out;
    }

    /** CPU time of the whole process (every thread), or 0 if the JVM does not say. */
    static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return Math.max(0, os.getProcessCpuTime());
        }
        return 0;
    }
}
