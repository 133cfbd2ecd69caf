package io.silt.bench;

import io.silt.bench.SdkBench.Bench;
import io.silt.bench.SdkBench.Options;
import io.silt.client.Consumer;
import io.silt.client.ConsumerConfig;
import io.silt.client.ConsumerRecord;
import io.silt.client.Producer;
import io.silt.client.ProducerConfig;
import io.silt.client.ProducerRecord;
import io.silt.client.Silt;
import io.silt.client.SiltClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * c: one producer sends 1 KiB records (no key) at a fixed rate, each stamped with the wall clock at {@code send};
 * a group consumer (its own client, default settings, subscribed to the topic) polls in a loop on its own thread.
 * Latency = wall clock when {@code poll} returns the record minus its timestamp, for records stamped in the measured
 * window (HdrHistogram, milliseconds: the timestamps have millisecond resolution). Also the producer's share: send to
 * acknowledgement of the same records (linger, segment PUT, commit PUT); the difference is the consumer's discovery
 * delay (its probe back-off).
 */
final class SdkLatencyBench {
    private static final String TOPIC = "latency";

    private SdkLatencyBench() {}

    static void run(Options o, Path dir, int partitions, Duration linger, int run, Result.Builder result) {
        String target = "file:" + dir.toAbsolutePath();
        String cfg = String.format(Locale.ROOT, "%d partition%s, %.1f MB/s, linger %d ms", partitions,
                partitions == 1 ? "" : "s", o.latencyBytesPerSecond() / 1e6, linger.toMillis());
        try (SiltClient producerClient = Silt.connect(target)) {
            producerClient.admin().createTopic(TOPIC, partitions);
            Histogram histogram = new Histogram(TimeUnit.HOURS.toMillis(1), 3);
            Histogram acks = new Histogram(TimeUnit.HOURS.toMicros(1), 3); // send -> acknowledged, microseconds
            AtomicLong windowStart = new AtomicLong(Long.MAX_VALUE);
            AtomicLong windowEnd = new AtomicLong(Long.MAX_VALUE);
            AtomicLong received = new AtomicLong();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<Throwable> consumerError = new AtomicReference<>();
            CountDownLatch ready = new CountDownLatch(1);
            Thread consumerThread = new Thread(() -> {
                ConsumerConfig cc = ConsumerConfig.defaults().withGroupId("latency-group")
                        .withAutoOffsetReset(ConsumerConfig.OffsetReset.EARLIEST);
                try (SiltClient consumerClient = Silt.connect(target);
                     Consumer consumer = consumerClient.consumer(cc)) {
                    consumer.subscribe(List.of(TOPIC));
                    while (!stop.get()) {
                        List<ConsumerRecord> got = consumer.poll(Duration.ofMillis(100));
                        long now = System.currentTimeMillis();
                        if (consumer.assignment().size() == partitions) {
                            ready.countDown();
                        }
                        for (ConsumerRecord r : got) {
                            received.incrementAndGet();
                            if (r.timestamp() >= windowStart.get() && r.timestamp() < windowEnd.get()) {
                                synchronized (histogram) {
                                    histogram.recordValue(Math.max(0, now - r.timestamp()));
                                }
                            }
                        }
                    }
                } catch (Throwable t) {
                    consumerError.set(t);
                    ready.countDown();
                }
            }, "sdkbench-latency-consumer");
            consumerThread.setDaemon(true);
            consumerThread.start();
            try {
                if (!ready.await(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the group consumer was not assigned the partitions within 60 s");
                }
                if (consumerError.get() != null) {
                    throw new IllegalStateException("the consumer failed", consumerError.get());
                }
                byte[][] values = SdkThroughputBench.values(o.recordBytes(), 1024, o.seed() + run);
                double perSecond = (double) o.latencyBytesPerSecond() / o.recordBytes();
                long sent = 0;
                long sentInWindow = 0;
                ProducerConfig pc = ProducerConfig.defaults().withLinger(linger);
                try (Producer producer = producerClient.producer(pc)) {
                    long start = System.nanoTime();
                    long warmEnd = start + o.warmup().toNanos();
                    long end = warmEnd + o.measure().toNanos();
                    boolean inWindow = false;
                    while (true) {
                        long now = System.nanoTime();
                        if (!inWindow && now >= warmEnd) {
                            inWindow = true;
                            windowStart.set(System.currentTimeMillis());
                        }
                        if (now >= end) {
                            windowEnd.set(System.currentTimeMillis());
                            break;
                        }
                        long due = (long) ((now - start) / 1e9 * perSecond);
                        while (sent < due) {
                            long sentAt = System.nanoTime();
                            boolean count = inWindow;
                            producer.send(new ProducerRecord(TOPIC, null, null, values[(int) (sent & 1023)],
                                    List.of(), System.currentTimeMillis())).whenComplete((m, e) -> {
                                        if (e == null && count) {
                                            synchronized (acks) {
                                                acks.recordValue((System.nanoTime() - sentAt) / 1000);
                                            }
                                        }
                                    });
                            sent++;
                            if (inWindow) {
                                sentInWindow++;
                            }
                        }
                        LockSupport.parkNanos(1_000_000L);
                    }
                    producer.flush();
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (received.get() < sent && System.nanoTime() < deadline && consumerError.get() == null) {
                    LockSupport.parkNanos(10_000_000L);
                }
                stop.set(true);
                consumerThread.join(TimeUnit.SECONDS.toMillis(30));
                if (consumerError.get() != null) {
                    throw new IllegalStateException("the consumer failed", consumerError.get());
                }
                Histogram h;
                synchronized (histogram) {
                    h = histogram.copy();
                }
                double p50 = h.getValueAtPercentile(50);
                long goal = linger.toMillis() + 20;
                result.add(Bench.LATENCY.title, run, cfg, "p50 ms", p50, "<= " + goal, p50 <= goal);
                result.add(Bench.LATENCY.title, run, cfg, "p90 ms", h.getValueAtPercentile(90));
                result.add(Bench.LATENCY.title, run, cfg, "p99 ms", h.getValueAtPercentile(99));
                result.add(Bench.LATENCY.title, run, cfg, "max ms", h.getMaxValue());
                result.add(Bench.LATENCY.title, run, cfg, "records measured", h.getTotalCount());
                synchronized (acks) {
                    // The producer's share (linger + segment PUT + commit PUT): the rest is the consumer finding it.
                    result.add(Bench.LATENCY.title, run, cfg, "send->ack p50 ms", acks.getValueAtPercentile(50) / 1e3);
                    result.add(Bench.LATENCY.title, run, cfg, "send->ack p99 ms", acks.getValueAtPercentile(99) / 1e3);
                }
                result.add(Bench.LATENCY.title, run, cfg, "records sent in window", sentInWindow);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } finally {
                stop.set(true);
            }
        }
    }
}
