package io.silt.bench.chaos;

import io.silt.bench.chaos.history.Event;
import io.silt.bench.chaos.history.History;
import io.silt.bench.chaos.history.HistoryWriter;
import io.silt.client.Consumer;
import io.silt.client.ConsumerConfig;
import io.silt.client.ConsumerRebalanceListener;
import io.silt.client.ConsumerRecord;
import io.silt.client.Producer;
import io.silt.client.ProducerConfig;
import io.silt.client.ProducerRecord;
import io.silt.client.QueueConfig;
import io.silt.client.QueueConsumer;
import io.silt.client.QueueMessage;
import io.silt.client.Silt;
import io.silt.client.SiltClient;
import io.silt.client.SiltException;
import io.silt.client.TopicPartition;
import io.silt.storage.FaultInjectingObjectStore;
import io.silt.storage.FaultInjectingPolicy;
import io.silt.storage.ObjectStore;
import io.silt.storage.ObjectStores;
import io.silt.storage.RetryingObjectStore;
import io.silt.storage.Sleeper;
import io.silt.storage.StoreUnavailableException.Reason;
import io.silt.storage.log.BucketCompactionReport;
import io.silt.storage.log.BucketCompactor;
import io.silt.storage.log.CompactionRunPolicy;
import io.silt.storage.log.LogConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * One worker JVM of a chaos run ({@link ChaosBench}): a producer, a group consumer, a queue consumer or a compactor,
 * on a store wrapped in a {@link FaultInjectingObjectStore} (500, 503 SlowDown, 409 and connection errors before the
 * request at {@code faultRate}; responses lost after a write happened at half of it; latency spikes of 50-400 ms on
 * every request for a few hundred milliseconds every few seconds) behind the usual {@link RetryingObjectStore}.
 * It records every operation to its history ({@link HistoryWriter}) and, every half second, its counters
 * ({@link Event.Stats}). It runs until killed, except a producer, which exits 0 once its quota is acknowledged or
 * failed.
 */
public final class ChaosWorker {
    private static final System.Logger LOG = System.getLogger(ChaosWorker.class.getName());
    /** The exit code of a producer that finished its quota. */
    static final int DONE = 0;

    private final WorkerSpec spec;
    private final HistoryWriter history;
    private final FaultInjectingObjectStore faults;
    private final FaultInjectingPolicy policy;
    private final SplittableRandom random;
    private final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();

    private ChaosWorker(WorkerSpec spec) {
        this.spec = spec;
        this.random = new SplittableRandom(spec.seed());
        this.history = new HistoryWriter(spec.historyDir().resolve(spec.process() + History.SUFFIX));
        this.policy = FaultInjectingPolicy.NONE
                .withErrors(spec.faultRate(), Reason.SERVER_ERROR, Reason.THROTTLED, Reason.CONFLICT, Reason.IO)
                .withLostResponses(spec.faultRate() / 2);
        this.faults = FaultInjectingObjectStore.wrap(ObjectStores.open(spec.target(), System.getenv()),
                random.nextLong()).setPolicy(policy);
    }

    /** Runs the worker described by {@code key=value} arguments (see {@link WorkerSpec}). */
    public static void main(String[] args) throws Exception {
        WorkerSpec spec = WorkerSpec.parse(args);
        ChaosWorker w = new ChaosWorker(spec);
        Thread stats = daemon("stats", w::statsLoop);
        daemon("latency-spikes", w::spikeLoop);
        ObjectStore store = RetryingObjectStore.wrap(w.faults);
        if (spec.role() == WorkerSpec.Role.COMPACTOR) {
            w.compact(store);
        }
        try (SiltClient client = Silt.builder(spec.target()).store(store).gcGrace(spec.grace())
                .seed(w.random.nextLong()).build()) {
            switch (spec.role()) {
                case PRODUCER -> w.produce(client);
                case GROUP_CONSUMER -> w.consumeGroup(client);
                case QUEUE_CONSUMER -> w.consumeQueue(client);
                default -> throw new IllegalStateException(spec.role().toString());
            }
        }
        stats.interrupt();
        w.writeStats();
        System.exit(DONE);
    }

    private static Thread daemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private void count(String counter) {
        counters.computeIfAbsent(counter, k -> new AtomicLong()).incrementAndGet();
    }

    private void statsLoop() {
        try {
            while (true) {
                writeStats();
                TimeUnit.MILLISECONDS.sleep(500);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void writeStats() {
        Map<String, Long> out = new TreeMap<>();
        FaultInjectingObjectStore.Injected injected = faults.injected();
        injected.errors().forEach((reason, n) -> out.put("fault." + reason.name().toLowerCase(), n));
        out.put("fault.lost_response", injected.lostResponses());
        out.put("fault.delayed_request", injected.delayedRequests());
        out.put("fault.added_latency_ms", injected.addedLatency().toMillis());
        counters.forEach((k, v) -> out.put(k, v.get()));
        history.write(new Event.Stats(System.currentTimeMillis(), out));
    }

    /** Every 1-4 s, 50-400 ms of latency on every request for 100-500 ms. */
    private void spikeLoop() {
        SplittableRandom r = random.split();
        try {
            while (true) {
                TimeUnit.MILLISECONDS.sleep(r.nextLong(1000, 4000));
                faults.setPolicy(policy.withLatency(Duration.ofMillis(50), Duration.ofMillis(400)));
                count("fault.latency_spike");
                TimeUnit.MILLISECONDS.sleep(r.nextLong(100, 500));
                faults.setPolicy(policy);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------------------------------------ producer

    /** Sends the rest of the quota (what earlier instances of this worker did not send), then exits. */
    private void produce(SiltClient client) throws InterruptedException {
        long sent = previousSends();
        Producer producer = client.producer(ProducerConfig.defaults().withLinger(Duration.ofMillis(20))
                .withDeliveryTimeout(Duration.ofSeconds(60)));
        long started = System.nanoTime();
        long mine = 0;
        for (long seq = sent; seq < spec.records(); seq++, mine++) {
            if (spec.ratePerSecond() > 0) {
                long due = started + (long) (mine * 1e9 / spec.ratePerSecond());
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
            }
            String rid = spec.process() + ":" + seq;
            String topic = seq % spec.queueEvery() == 0 ? WorkerSpec.JOBS : WorkerSpec.EVENTS;
            byte[] value = value(rid);
            history.write(new Event.Send(System.currentTimeMillis(), rid, topic, crc(value)));
            producer.send(ProducerRecord.of(topic, rid.getBytes(StandardCharsets.US_ASCII), value))
                    .whenComplete((md, e) -> {
                        if (e == null) {
                            history.write(new Event.Ack(System.currentTimeMillis(), rid, md.topic(), md.partition(),
                                    md.offset()));
                        } else {
                            Throwable cause = e.getCause() != null ? e.getCause() : e;
                            history.write(new Event.SendFailed(System.currentTimeMillis(), rid,
                                    cause.getClass().getSimpleName()));
                        }
                    });
        }
        producer.close();
    }

    /** Records sent by earlier instances of this worker (the SEND lines of their histories). */
    private long previousSends() {
        String prefix = spec.name() + ".";
        try (Stream<Path> files = Files.list(spec.historyDir())) {
            long n = 0;
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith(prefix)
                    && p.getFileName().toString().endsWith(History.SUFFIX)).toList()) {
                if (!f.getFileName().toString().equals(spec.process() + History.SUFFIX)) {
                    n += History.parse(Files.readString(f, StandardCharsets.US_ASCII)).stream()
                            .filter(e -> e instanceof Event.Send).count();
                }
            }
            return n;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The value of a record: its id, a space, then random letters up to {@code valueBytes}. */
    private byte[] value(String rid) {
        byte[] id = (rid + " ").getBytes(StandardCharsets.US_ASCII);
        byte[] v = new byte[Math.max(spec.valueBytes(), id.length)];
        System.arraycopy(id, 0, v, 0, id.length);
        for (int i = id.length; i < v.length; i++) {
            v[i] = (byte) ('a' + random.nextInt(26));
        }
        return v;
    }

    /** The record id a value starts with. */
    static String ridOf(byte[] value) {
        String s = new String(value, 0, Math.min(value.length, 64), StandardCharsets.US_ASCII);
        int space = s.indexOf(' ');
        return space < 0 ? s : s.substring(0, space);
    }

    /** The CRC32C of a value. */
    static long crc(byte[] value) {
        CRC32C c = new CRC32C();
        c.update(value);
        return c.getValue();
    }

    // ------------------------------------------------------------------------------------------------ group consumer

    /** Reads {@value WorkerSpec#EVENTS} in the group, committing what it read about twice a second. */
    private void consumeGroup(SiltClient client) {
        Duration session = spec.session();
        Consumer consumer = client.consumer(ConsumerConfig.defaults().withGroupId(WorkerSpec.GROUP)
                .withAutoCommit(false).withAutoOffsetReset(ConsumerConfig.OffsetReset.EARLIEST)
                .withHeartbeat(session.dividedBy(3), session).withMaxIdleBackoff(Duration.ofMillis(200)));
        Map<TopicPartition, Long> positions = new HashMap<>();
        consumer.subscribe(List.of(WorkerSpec.EVENTS), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                partitions.forEach(positions::remove); // processed but not committed: the next owner reads them again
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                count("group.assignments");
            }
        });
        long lastCommit = System.nanoTime();
        while (true) {
            List<ConsumerRecord> records;
            try {
                records = consumer.poll(Duration.ofMillis(200));
            } catch (SiltException e) {
                count("group.poll_error");
                LOG.log(Level.DEBUG, () -> "poll failed: " + e);
                continue;
            }
            for (ConsumerRecord r : records) {
                history.write(new Event.Receive(System.currentTimeMillis(), spec.process(), r.topic(), r.partition(),
                        r.offset(), ridOf(r.value()), crc(r.value())));
                positions.put(r.topicPartition(), r.offset() + 1);
                count("group.received");
            }
            if (!records.isEmpty()) {
                processing(); // a pause often lands here: the commit below is then a zombie member's
            }
            if (System.nanoTime() - lastCommit > TimeUnit.MILLISECONDS.toNanos(500) && !positions.isEmpty()) {
                commit(consumer, Map.copyOf(positions));
                positions.clear();
                lastCommit = System.nanoTime();
            }
        }
    }

    /** 50 ms of "processing" between a poll and the commit. */
    private static void processing() {
        try {
            TimeUnit.MILLISECONDS.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void commit(Consumer consumer, Map<TopicPartition, Long> offsets) {
        long start = System.currentTimeMillis();
        String outcome;
        try {
            consumer.commitSync(offsets);
            outcome = "ok";
        } catch (io.silt.client.CommitFailedException e) {
            outcome = "rejected";
        } catch (SiltException e) {
            outcome = "unknown";
        }
        long end = System.currentTimeMillis();
        count("group.commit_" + outcome);
        for (Map.Entry<TopicPartition, Long> e : offsets.entrySet()) {
            history.write(new Event.Commit(start, end, WorkerSpec.GROUP, spec.process(), e.getKey().topic(),
                    e.getKey().partition(), e.getValue(), outcome));
        }
    }

    // ------------------------------------------------------------------------------------------------ queue consumer

    /**
     * Reads {@value WorkerSpec#JOBS} as a queue: acks each message, except poison ones (always nacked, so they are
     * dead-lettered after the maximum deliveries) and one in 200 it "forgets" (delivered again after the visibility
     * timeout).
     */
    private void consumeQueue(SiltClient client) {
        long vis = spec.visibility().toMillis();
        QueueConsumer queue = client.queueConsumer(WorkerSpec.JOBS, QueueConfig.defaults()
                .withVisibilityTimeout(spec.visibility()).withMaxDeliveries(spec.maxDeliveries())
                .withDeadLetterTopic(WorkerSpec.DEAD_LETTERS).withLeaseRecords(50));
        while (true) {
            long start = System.currentTimeMillis();
            List<QueueMessage> messages;
            try {
                messages = queue.receive(50, spec.visibility(), Duration.ofMillis(500));
            } catch (SiltException e) {
                count("queue.receive_error");
                continue;
            }
            long end = System.currentTimeMillis();
            List<QueueMessage> toAck = new ArrayList<>();
            for (QueueMessage m : messages) {
                history.write(new Event.QueueReceive(start, end, spec.process(), m.topic(), m.partition(), m.offset(),
                        ridOf(m.value()), m.deliveryCount(), vis));
                count("queue.received");
                if (crc(m.value()) % spec.poisonEvery() == 0) {
                    nack(queue, m);
                } else if (random.nextInt(200) != 0) {
                    toAck.add(m);
                } else {
                    count("queue.forgotten");
                }
            }
            if (!toAck.isEmpty()) {
                ack(queue, toAck);
            }
        }
    }

    /**
     * Nacks one message. Like {@link #ack}, it first records the invocation ({@link Event#INVOKED}): a SIGKILL during
     * the call may leave its settle record written yet its outcome unrecorded, and the message redelivered at once.
     */
    private void nack(QueueConsumer queue, QueueMessage m) {
        long start = System.currentTimeMillis();
        history.write(nackEvent(start, start, m, Event.INVOKED));
        String outcome = settle(() -> queue.nack(List.of(m.receipt()), Duration.ZERO));
        history.write(nackEvent(start, System.currentTimeMillis(), m, outcome));
        count("queue.nack_" + outcome);
    }

    private Event.QueueNack nackEvent(long start, long end, QueueMessage m, String outcome) {
        return new Event.QueueNack(start, end, spec.process(), m.topic(), m.partition(), m.offset(), m.deliveryCount(),
                0, outcome);
    }

    /**
     * Acks messages and flushes. The invocation is recorded first ({@link Event#INVOKED}): a SIGKILL between the
     * settle record landing and the outcome being written would otherwise leave messages acked in the queue log but
     * received and never settled in the history (the seed-9 QUEUE_UNSETTLED false positive of issue 9).
     */
    private void ack(QueueConsumer queue, List<QueueMessage> messages) {
        long start = System.currentTimeMillis();
        writeAcks(start, start, messages, Event.INVOKED);
        String outcome = settle(() -> {
            queue.ack(messages.stream().map(QueueMessage::receipt).toList());
            queue.flush();
        });
        writeAcks(start, System.currentTimeMillis(), messages, outcome);
        counters.computeIfAbsent("queue.ack_" + outcome, k -> new AtomicLong()).addAndGet(messages.size());
    }

    private void writeAcks(long start, long end, List<QueueMessage> messages, String outcome) {
        for (QueueMessage m : messages) {
            history.write(new Event.QueueAck(start, end, spec.process(), m.topic(), m.partition(), m.offset(),
                    m.deliveryCount(), outcome));
        }
    }

    private static String settle(Runnable r) {
        try {
            r.run();
            return "ok";
        } catch (SiltException e) {
            return "failed";
        }
    }

    // ------------------------------------------------------------------------------------------------ compactor

    /** Runs a bucket compaction every 100 ms, with a short grace period and lease. */
    private void compact(ObjectStore store) throws InterruptedException {
        Duration lease = spec.session();
        BucketCompactor compactor = new BucketCompactor(store, LogConfig.DEFAULTS.withGcGrace(spec.grace()),
                CompactionRunPolicy.DEFAULTS.withBudget(Duration.ofSeconds(30)).withLease(lease, lease.dividedBy(4))
                        .withGrace(spec.grace()), spec.process(), Clock.systemUTC(), System::nanoTime,
                random.split(), Sleeper.SYSTEM);
        while (true) {
            try {
                BucketCompactionReport report = compactor.runOnce();
                history.write(new Event.Compaction(System.currentTimeMillis(), report.status().name(),
                        report.epoch()));
                counters.computeIfAbsent("compaction.objects_deleted", k -> new AtomicLong())
                        .addAndGet(report.objectsDeleted());
                counters.computeIfAbsent("compaction.entries_merged", k -> new AtomicLong())
                        .addAndGet(report.entriesMerged());
            } catch (RuntimeException e) {
                history.write(new Event.Compaction(System.currentTimeMillis(), "ERROR", 0));
                LOG.log(Level.DEBUG, () -> "compaction failed: " + e);
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }
}
