package io.silt.bench.peers;

import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SynchronizedHistogram;

/**
 * The workload every system gets, through its {@link PeerClient}: a discarded warm-up; the throughput phase (one
 * producer sends {@code records} values of {@code recordBytes} bytes as fast as the client accepts them, then one
 * reader reads them all from the beginning); and the latency phase (one producer at a fixed rate while one reader
 * follows, both on a fresh destination).
 */
final class PeerWorkload {
    private static final System.Logger LOG = System.getLogger(PeerWorkload.class.getName());
    /** The shortest time a reader gets to read what was produced; at least three times the produce time too. */
    private static final Duration MIN_READ_TIMEOUT = Duration.ofMinutes(5);
    private static final int DISTINCT_VALUES = 1024;

    /**
     * What the workload measured on one system.
     *
     * @param produceSeconds first send to last acknowledgement of the throughput phase
     * @param consumeSeconds the reader's creation to its last record
     * @param ack send (intended time) to acknowledgement in the latency phase, microseconds
     * @param e2e send (intended time) to the reader's poll returning it, microseconds
     */
    record Measurement(long records, int recordBytes, double produceSeconds, double consumeSeconds, Histogram ack,
                       Histogram e2e) {
        double produceRecordsPerSecond() {
            return records / produceSeconds;
        }

        double produceMBps() {
            return records * (double) recordBytes / produceSeconds / 1e6;
        }

        double consumeMBps() {
            return records * (double) recordBytes / consumeSeconds / 1e6;
        }
    }

    private final long records;
    private final int recordBytes;
    private final long warmupRecords;
    private final int rate;
    private final Duration latencyWarmup;
    private final Duration latencyMeasure;
    private final byte[][] values;

    /**
     * @param records records of the throughput phase
     * @param recordBytes value size (no key)
     * @param warmupRecords records produced and read before measuring, to warm the JIT and the server
     * @param rate records per second of the latency phase
     * @param latencyWarmup unrecorded start of the latency phase
     * @param latencyMeasure recorded part of the latency phase
     * @param seed randomness of the (incompressible) values
     */
    PeerWorkload(long records, int recordBytes, long warmupRecords, int rate, Duration latencyWarmup,
                 Duration latencyMeasure, long seed) {
        if (recordBytes < Long.BYTES) {
            throw new IllegalArgumentException("records must hold at least " + Long.BYTES + " bytes (a timestamp)");
        }
        this.records = records;
        this.recordBytes = recordBytes;
        this.warmupRecords = warmupRecords;
        this.rate = rate;
        this.latencyWarmup = latencyWarmup;
        this.latencyMeasure = latencyMeasure;
        SplittableRandom random = new SplittableRandom(seed);
        this.values = new byte[DISTINCT_VALUES][recordBytes];
        for (byte[] v : values) {
            random.nextBytes(v);
        }
    }

    /** Runs warm-up, throughput and latency phases on destinations {@code prefix-warmup}, {@code -tp}, {@code -lat}. */
    Measurement run(PeerClient client, String prefix) {
        if (warmupRecords > 0) {
            LOG.log(Level.INFO, () -> client.name() + ": warm-up, " + warmupRecords + " records");
            client.create(prefix + "-warmup");
            double seconds = produce(client, prefix + "-warmup", warmupRecords);
            consume(client, prefix + "-warmup", warmupRecords, readTimeout(seconds));
        }
        LOG.log(Level.INFO, () -> client.name() + ": throughput, " + records + " records");
        client.create(prefix + "-tp");
        double produceSeconds = produce(client, prefix + "-tp", records);
        double consumeSeconds = consume(client, prefix + "-tp", records, readTimeout(produceSeconds));
        LOG.log(Level.INFO, () -> client.name() + ": latency at " + rate + " records/s");
        client.create(prefix + "-lat");
        Histogram ack = new SynchronizedHistogram(TimeUnit.HOURS.toMicros(1), 3);
        Histogram e2e = new SynchronizedHistogram(TimeUnit.HOURS.toMicros(1), 3);
        latency(client, prefix + "-lat", ack, e2e);
        return new Measurement(records, recordBytes, produceSeconds, consumeSeconds, ack, e2e);
    }

    /** Sends {@code n} records as fast as the client takes them; seconds from the first send to the last ack. */
    double produce(PeerClient client, String destination, long n) {
        LongAdder acked = new LongAdder();
        long t0 = System.nanoTime();
        for (long i = 0; i < n; i++) {
            client.send(destination, values[(int) (i % DISTINCT_VALUES)], acked::increment);
        }
        client.flush();
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (acked.sum() != n) {
            throw new IllegalStateException(client.name() + ": " + acked.sum() + " of " + n + " records acknowledged");
        }
        return seconds;
    }

    private static Duration readTimeout(double produceSeconds) {
        Duration threeTimes = Duration.ofMillis(Math.round(produceSeconds * 3000));
        return threeTimes.compareTo(MIN_READ_TIMEOUT) > 0 ? threeTimes : MIN_READ_TIMEOUT;
    }

    /** Reads {@code n} records from the beginning; seconds from opening the reader to the last record. */
    double consume(PeerClient client, String destination, long n, Duration timeout) {
        long t0 = System.nanoTime();
        long deadline = t0 + timeout.toNanos();
        long read = 0;
        try (PeerClient.Reader reader = client.reader(destination)) {
            while (read < n) {
                read += reader.poll(v -> { });
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(client.name() + ": read " + read + " of " + n + " records in "
                            + timeout.toSeconds() + " s");
                }
            }
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    /**
     * Sends at {@link #rate} for warm-up + measured time, each value stamped with its intended send time (so a
     * stalled sender does not hide latency), while a reader thread follows; records the acknowledgement and
     * end-to-end latency of the records intended after the warm-up.
     */
    private void latency(PeerClient client, String destination, Histogram ack, Histogram e2e) {
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        long total = (latencyWarmup.toNanos() + latencyMeasure.toNanos()) / interval;
        AtomicLong received = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
        long measureFrom = start + latencyWarmup.toNanos();
        try (PeerClient.Reader reader = client.reader(destination)) {
            Thread follower = new Thread(() -> {
                while (!stop.get()) {
                    received.addAndGet(reader.poll(v -> {
                        long now = System.nanoTime();
                        long intended = ByteBuffer.wrap(v).getLong(0);
                        if (intended >= measureFrom) {
                            e2e.recordValue(Math.max(0, (now - intended) / 1000));
                        }
                    }));
                }
            }, "peers-latency-reader");
            follower.setDaemon(true);
            follower.start();
            try {
                for (long i = 0; i < total; i++) {
                    long intended = start + i * interval;
                    long wait;
                    while ((wait = intended - System.nanoTime()) > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    byte[] v = values[(int) (i % DISTINCT_VALUES)].clone();
                    ByteBuffer.wrap(v).putLong(0, intended);
                    boolean measured = intended >= measureFrom;
                    client.send(destination, v, () -> {
                        if (measured) {
                            ack.recordValue(Math.max(0, (System.nanoTime() - intended) / 1000));
                        }
                    });
                }
                client.flush();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (received.get() < total && System.nanoTime() < deadline) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
                }
                if (received.get() < total) {
                    throw new IllegalStateException(client.name() + ": the reader got " + received.get() + " of "
                            + total + " records within 60 s of the last acknowledgement");
                }
            } finally {
                stop.set(true);
                try {
                    follower.join(TimeUnit.SECONDS.toMillis(10));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
