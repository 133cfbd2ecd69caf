package io.silt.bench.workload;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * One workload: who produces and consumes what, how fast, for how long.
 *
 * @param name how reports name it
 * @param store the store it runs against
 * @param producers independent producers, each its own {@code SiltClient} (so its own producer id and its own
 *     partition writers): they contend for the partitions' commits as separate processes would
 * @param processes child JVMs (started from this JVM's classpath) the producers are spread over, at most
 *     {@code producers}; 0 runs them in this JVM
 * @param consumers members of one consumer group (each its own client) in this JVM, auto-committing every
 *     {@code commitInterval}; 0 for none (no end-to-end latency then)
 * @param partitions partitions of the topic
 * @param recordBytes value size of each record (no key)
 * @param batchBytes the producers' {@code batch.size}
 * @param linger the producers' {@code linger.ms}
 * @param bytesPerSecondPerPartition the offered load, spread evenly over the producers; 0 = as fast as {@code send}
 *     accepts records
 * @param warmup time before the measured window
 * @param measure the measured window (with {@code records} &gt; 0: the most it may take)
 * @param records 0 to measure for {@code measure}; else the window ends once this many records sent after the
 *     warm-up are acknowledged
 * @param commitInterval the consumers' auto-commit interval
 * @param maxPollRecords the consumers' {@code max.poll.records} (the SDK's default is 500; each poll's fetch reads at
 *     most this many records, so it sets how many ranged GETs a segment costs)
 * @param seed randomness (values, latency model)
 */
public record WorkloadSpec(String name, StoreKind store, int producers, int processes, int consumers, int partitions,
                           int recordBytes, int batchBytes, Duration linger, long bytesPerSecondPerPartition,
                           Duration warmup, Duration measure, long records, Duration commitInterval,
                           int maxPollRecords, long seed) {
    public WorkloadSpec {
        Objects.requireNonNull(name);
        Objects.requireNonNull(store);
        Objects.requireNonNull(linger);
        Objects.requireNonNull(warmup);
        Objects.requireNonNull(measure);
        Objects.requireNonNull(commitInterval);
        if (producers < 1 || processes < 0 || consumers < 0 || partitions < 1 || recordBytes < 1
                || batchBytes < recordBytes || bytesPerSecondPerPartition < 0 || records < 0 || measure.isZero()
                || maxPollRecords < 1) {
            throw new IllegalArgumentException("invalid workload " + name);
        }
        processes = Math.min(processes, producers);
    }

    /**
     * One producer, one group consumer ({@code max.poll.records} 500), one partition, 1 KiB records, batch 1 MiB,
     * linger 10 ms, 3 s + 10 s.
     */
    public static WorkloadSpec defaults(String name, StoreKind store) {
        return new WorkloadSpec(name, store, 1, 0, 1, 1, 1024, 1 << 20, Duration.ofMillis(10), 0,
                Duration.ofSeconds(3), Duration.ofSeconds(10), 0, Duration.ofSeconds(5), 500, 1);
    }

    public WorkloadSpec withName(String n) {
        return new WorkloadSpec(n, store, producers, processes, consumers, partitions, recordBytes, batchBytes,
                linger, bytesPerSecondPerPartition, warmup, measure, records, commitInterval, maxPollRecords, seed);
    }

    public WorkloadSpec withStore(StoreKind s) {
        return new WorkloadSpec(name, s, producers, processes, consumers, partitions, recordBytes, batchBytes,
                linger, bytesPerSecondPerPartition, warmup, measure, records, commitInterval, maxPollRecords, seed);
    }

    /** Producers, the JVMs they run in, consumers and partitions. */
    public WorkloadSpec withShape(int p, int jvms, int c, int parts) {
        return new WorkloadSpec(name, store, p, jvms, c, parts, recordBytes, batchBytes, linger,
                bytesPerSecondPerPartition, warmup, measure, records, commitInterval, maxPollRecords, seed);
    }

    /** Record size, batch size, linger and offered load per partition (0 = unlimited). */
    public WorkloadSpec withLoad(int record, int batch, Duration lingerTime, long rate) {
        return new WorkloadSpec(name, store, producers, processes, consumers, partitions, record, batch, lingerTime,
                rate, warmup, measure, records, commitInterval, maxPollRecords, seed);
    }

    /** Warm-up, measured window and record count (0 = by time). */
    public WorkloadSpec withTimes(Duration warm, Duration window, long count) {
        return new WorkloadSpec(name, store, producers, processes, consumers, partitions, recordBytes, batchBytes,
                linger, bytesPerSecondPerPartition, warm, window, count, commitInterval, maxPollRecords, seed);
    }

    public WorkloadSpec withCommitInterval(Duration d) {
        return new WorkloadSpec(name, store, producers, processes, consumers, partitions, recordBytes, batchBytes,
                linger, bytesPerSecondPerPartition, warmup, measure, records, d, maxPollRecords, seed);
    }

    public WorkloadSpec withMaxPollRecords(int n) {
        return new WorkloadSpec(name, store, producers, processes, consumers, partitions, recordBytes, batchBytes,
                linger, bytesPerSecondPerPartition, warmup, measure, records, commitInterval, n, seed);
    }

    /** The producers' offered load in records per second, all of them together; 0 = unlimited. */
    double recordsPerSecond() {
        return bytesPerSecondPerPartition == 0 ? 0 : (double) bytesPerSecondPerPartition * partitions / recordBytes;
    }

    /** A one-line description for reports. */
    public String describe() {
        return String.format(Locale.ROOT, "%s: store %s, %d producer%s %s, %d consumer%s%s, %d partition%s, "
                        + "%d B records, batch %d KiB, linger %d ms, %s, %s",
                name, store.label(), producers, producers == 1 ? "" : "s",
                processes == 0 ? "in this JVM" : "in " + processes + " child JVM" + (processes == 1 ? "" : "s"),
                consumers, consumers == 1 ? "" : "s",
                consumers == 0 ? "" : " (commit every " + commitInterval.toSeconds() + " s, max.poll.records "
                        + maxPollRecords + ")", partitions, partitions == 1 ? "" : "s", recordBytes,
                batchBytes >> 10, linger.toMillis(),
                bytesPerSecondPerPartition == 0 ? "unlimited rate"
                        : String.format(Locale.ROOT, "%.2f MiB/s per partition",
                        bytesPerSecondPerPartition / (double) (1 << 20)),
                records > 0 ? String.format(Locale.ROOT, "%,d records after %.0f s warm-up", records,
                        warmup.toMillis() / 1000.0)
                        : String.format(Locale.ROOT, "%.0f s + %.0f s measured", warmup.toMillis() / 1000.0,
                        measure.toMillis() / 1000.0));
    }
}
