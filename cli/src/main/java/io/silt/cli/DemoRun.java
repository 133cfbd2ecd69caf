package io.silt.cli;

import io.silt.client.Consumer;
import io.silt.client.ConsumerConfig;
import io.silt.client.ConsumerRecord;
import io.silt.client.Producer;
import io.silt.client.SiltClient;
import io.silt.client.TopicExistsException;
import io.silt.storage.CountingObjectStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * The work of {@code silt demo}: producer threads send numbered records ({@code id|sendNanos|padding}), a consumer
 * group reads them, and every id is checked off; latency is consume time minus send time in this one process.
 */
final class DemoRun {
    static final int MIN_RECORD_SIZE = 40;
    private static final int KEYS = 1000;

    /** What the run measured. */
    record Result(String topic, long produced, long consumed, long lost, long duplicates, long sendFailures,
                  long elapsedNanos, long produceNanos, double p50Millis, double p99Millis, double maxMillis) {}

    private final SiltClient silt;
    private final DemoCommand cmd;
    private final String runId = Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
    private final AtomicIntegerArray seen;
    private final long[] latencyNanos;
    private final LongAdder acked = new LongAdder();
    private final LongAdder sendFailures = new LongAdder();
    private final AtomicLong unique = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final LongAdder intervalLatencySum = new LongAdder();
    private final LongAdder intervalLatencyCount = new LongAdder();
    private final AtomicIntegerArray assigned;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private String topic;

    DemoRun(SiltClient silt, DemoCommand cmd, CountingObjectStore counting) {
        this.silt = silt;
        this.cmd = cmd;
        this.seen = new AtomicIntegerArray(cmd.records);
        this.latencyNanos = new long[cmd.records];
        this.assigned = new AtomicIntegerArray(cmd.consumers);
    }

    Result execute() throws InterruptedException {
        topic = createTopic();
        long deadline = System.nanoTime() + cmd.timeout.toNanos();
        List<Thread> consumerThreads = startAll(cmd.consumers, "silt-demo-consumer-", this::consume);
        waitForGroup(deadline);
        long start = System.nanoTime();
        AtomicLong producedAt = new AtomicLong();
        List<Thread> producerThreads = startAll(cmd.producers, "silt-demo-producer-", this::produce);
        Thread producersDone = new Thread(() -> {
            joinAll(producerThreads);
            producedAt.set(System.nanoTime());
        }, "silt-demo-producers");
        producersDone.setDaemon(true);
        producersDone.start();
        new DemoProgress(cmd.err(), System.console() != null, cmd.records).run(this::figures,
                () -> done(producedAt.get() != 0, deadline));
        long end = System.nanoTime();
        stop.set(true);
        joinAll(consumerThreads);
        producersDone.join(Duration.ofSeconds(10).toMillis());
        if (failure.get() != null) {
            throw new CliException("demo failed: " + SiltCommand.describe(failure.get()));
        }
        long produceEnd = producedAt.get() == 0 ? end : producedAt.get();
        return result(end - start, produceEnd - start);
    }

    /** All records arrived, or all that were acknowledged once the producers are done, or time is up. */
    private boolean done(boolean producersDone, long deadline) {
        return unique.get() >= cmd.records || failure.get() != null || System.nanoTime() > deadline
                || (producersDone && unique.get() >= acked.sum() && sendFailures.sum() > 0);
    }

    private String createTopic() {
        String name = cmd.topic;
        try {
            if (silt.admin().listTopics().contains(name)) {
                name = name + "-" + runId;
            }
            silt.admin().createTopic(name, cmd.partitions);
        } catch (TopicExistsException e) {
            name = name + "-" + runId;
            silt.admin().createTopic(name, cmd.partitions);
        }
        return name;
    }

    private void waitForGroup(long deadline) throws InterruptedException {
        int busy = Math.min(cmd.consumers, cmd.partitions);
        long settleBy = Math.min(deadline, System.nanoTime() + Duration.ofSeconds(15).toNanos());
        cmd.err().println("waiting for the consumer group to share the " + cmd.partitions + " partitions...");
        while (System.nanoTime() < settleBy && failure.get() == null) {
            int total = 0;
            int withWork = 0;
            for (int i = 0; i < cmd.consumers; i++) {
                total += assigned.get(i);
                withWork += assigned.get(i) > 0 ? 1 : 0;
            }
            if (total == cmd.partitions && withWork == busy) {
                return;
            }
            Thread.sleep(20);
        }
    }

    private void produce(int thread) {
        byte[] padding = new byte[cmd.recordSize];
        Arrays.fill(padding, (byte) 'x');
        long begin = System.nanoTime();
        double nanosPerRecord = cmd.rate > 0 ? 1e9 * cmd.producers / cmd.rate : 0;
        try (Producer producer = silt.producer()) {
            for (int id = thread, i = 0; id < cmd.records && !stop.get(); id += cmd.producers, i++) {
                pace(begin + (long) (i * nanosPerRecord));
                byte[] head = (id + "|" + System.nanoTime() + "|").getBytes(StandardCharsets.US_ASCII);
                byte[] value = Arrays.copyOf(head, cmd.recordSize);
                System.arraycopy(padding, 0, value, head.length, cmd.recordSize - head.length);
                producer.send(topic, ("key-" + id % KEYS).getBytes(StandardCharsets.US_ASCII), value)
                        .whenComplete((m, e) -> (e == null ? acked : sendFailures).increment());
            }
            producer.flush();
        }
    }

    private static void pace(long due) {
        long wait;
        while ((wait = due - System.nanoTime()) > 0) {
            java.util.concurrent.locks.LockSupport.parkNanos(wait);
        }
    }

    private void consume(int index) {
        ConsumerConfig config = ConsumerConfig.defaults().withGroupId("demo-" + runId)
                .withAutoOffsetReset(ConsumerConfig.OffsetReset.EARLIEST);
        try (Consumer consumer = silt.consumer(config)) {
            consumer.subscribe(List.of(topic));
            while (!stop.get()) {
                List<ConsumerRecord> records = consumer.poll(Duration.ofMillis(100));
                assigned.set(index, consumer.assignment().size());
                long now = System.nanoTime();
                for (ConsumerRecord r : records) {
                    record(r.value(), now);
                }
            }
        }
    }

    private void record(byte[] value, long now) {
        String v = new String(value, 0, Math.min(value.length, MIN_RECORD_SIZE), StandardCharsets.US_ASCII);
        int bar = v.indexOf('|');
        int id = Integer.parseInt(v.substring(0, bar));
        long sent = Long.parseLong(v.substring(bar + 1, v.indexOf('|', bar + 1)));
        if (seen.getAndIncrement(id) == 0) {
            latencyNanos[id] = now - sent;
            intervalLatencySum.add(now - sent);
            intervalLatencyCount.increment();
            unique.incrementAndGet();
        } else {
            duplicates.incrementAndGet();
        }
    }

    /** The four figures, for the progress display: counts so far and latency over the interval. */
    DemoProgress.Figures figures() {
        long n = intervalLatencyCount.sumThenReset();
        long sum = intervalLatencySum.sumThenReset();
        return new DemoProgress.Figures(acked.sum(), unique.get(), n == 0 ? -1 : sum / n / 1e6);
    }

    private Result result(long elapsed, long produceNanos) {
        long[] lat = new long[(int) unique.get()];
        int k = 0;
        for (int id = 0; id < cmd.records && k < lat.length; id++) {
            if (seen.get(id) > 0) {
                lat[k++] = latencyNanos[id];
            }
        }
        Arrays.sort(lat, 0, k);
        return new Result(topic, acked.sum(), unique.get() + duplicates.get(), cmd.records - unique.get(),
                duplicates.get(), sendFailures.sum(), elapsed, Math.max(1, produceNanos), percentile(lat, k, 0.50),
                percentile(lat, k, 0.99), k == 0 ? 0 : lat[k - 1] / 1e6);
    }

    private static double percentile(long[] sorted, int n, double q) {
        return n == 0 ? 0 : sorted[(int) Math.ceil(q * n) - 1] / 1e6;
    }

    private interface Work {
        void run(int index);
    }

    private List<Thread> startAll(int n, String name, Work work) {
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int index = i;
            Thread t = new Thread(() -> {
                try {
                    work.run(index);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, name + i);
            t.start();
            threads.add(t);
        }
        return threads;
    }

    private static void joinAll(List<Thread> threads) {
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    static String format(double v) {
        return String.format(Locale.ROOT, "%,.0f", v);
    }
}
