package io.silt.bench.workload;

import io.silt.client.Producer;
import io.silt.client.ProducerConfig;
import io.silt.client.ProducerRecord;
import io.silt.client.Silt;
import io.silt.client.SiltClient;
import io.silt.storage.CountingObjectStore;
import io.silt.storage.RequestCounts;
import io.silt.storage.RetryingObjectStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.zip.DataFormatException;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Some of a workload's producers, run in this JVM: each its own {@link SiltClient} over its own store instance
 * (counted), one thread each, sending records stamped with the wall clock at {@code send}, spread over the
 * partitions record by record (round robin, as evenly distributed keys would spread them; the SDK's keyless sticky
 * partitioner would send a batch's worth to one partition at a time). Timing is in wall-clock
 * milliseconds ({@code startAt}), so that producers in several JVMs share one measured window. Also the main class of
 * the child JVMs {@link WorkloadRunner} starts: it prints its {@link Outcome} as one line.
 */
final class ProducerLoad {
    static final String CHILD_LINE = "SILT-WORKLOAD-CHILD ";
    static final String READY_LINE = "SILT-WORKLOAD-READY";
    static final long MAX_ACK_MICROS = TimeUnit.MINUTES.toMicros(10);

    /**
     * What the producers of one JVM did in the measured window.
     *
     * @param sent records sent in all (warm-up included)
     * @param acked records acknowledged in the window (by duration: acknowledged within it; by count: the counted
     *     records)
     * @param ackedBytes their value bytes
     * @param failed sends that failed
     * @param windowNanos the window's length (by count: from its start to the last counted acknowledgement)
     * @param requests the requests of these producers' stores in the window
     * @param acks send-to-acknowledgement times of the records sent in the window, microseconds
     */
    record Outcome(long sent, long acked, long ackedBytes, long failed, long windowNanos, RequestCounts requests,
                   Histogram acks) {
        Outcome plus(Outcome o) {
            Histogram h = acks.copy();
            h.add(o.acks);
            return new Outcome(sent + o.sent, acked + o.acked, ackedBytes + o.ackedBytes, failed + o.failed,
                    Math.max(windowNanos, o.windowNanos), requests.plus(o.requests), h);
        }

        String encode() {
            ByteBuffer buf = ByteBuffer.allocate(acks.getNeededByteBufferCapacity());
            int n = acks.encodeIntoCompressedByteBuffer(buf);
            RequestCounts r = requests;
            return CHILD_LINE + String.join(" ", "sent=" + sent, "acked=" + acked, "ackedBytes=" + ackedBytes,
                    "failed=" + failed, "windowNanos=" + windowNanos, "puts=" + r.puts(), "gets=" + r.gets(),
                    "gets404=" + r.getsNotFound(), "gets304=" + r.getsNotModified(), "heads=" + r.heads(),
                    "lists=" + r.lists(), "deletes=" + r.deletes(), "errors=" + r.errors(),
                    "written=" + r.bytesWritten(), "read=" + r.bytesRead(),
                    "acks=" + Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buf.array(), n)));
        }

        static Outcome decode(String line) {
            Map<String, String> a = keyValues(line.substring(CHILD_LINE.length()).trim().split(" "));
            Function<String, Long> n = k -> Long.parseLong(a.get(k));
            try {
                Histogram h = Histogram.decodeFromCompressedByteBuffer(
                        ByteBuffer.wrap(Base64.getDecoder().decode(a.get("acks"))), 0);
                return new Outcome(n.apply("sent"), n.apply("acked"), n.apply("ackedBytes"), n.apply("failed"),
                        n.apply("windowNanos"), new RequestCounts(n.apply("puts"), n.apply("gets"),
                        n.apply("gets404"), n.apply("gets304"), n.apply("heads"), n.apply("lists"),
                        n.apply("deletes"), n.apply("errors"), n.apply("written"), n.apply("read")), h);
            } catch (DataFormatException e) {
                throw new IllegalStateException("a child's histogram is corrupt", e);
            }
        }
    }

    /**
     * The settings of one JVM's share.
     *
     * @param spec the workload
     * @param location the store's directory or URI
     * @param topic the topic, already created
     * @param first the index of the first producer here (its share of the load and seed depend on it)
     * @param count how many producers run here
     */
    record Share(WorkloadSpec spec, String location, String topic, int first, int count) {
        List<String> toArgs() {
            WorkloadSpec s = spec;
            return List.of("store=" + s.store().label(), "location=" + location, "topic=" + topic,
                    "first=" + first, "count=" + count, "producers=" + s.producers(),
                    "partitions=" + s.partitions(), "recordBytes=" + s.recordBytes(), "batchBytes=" + s.batchBytes(),
                    "lingerMs=" + s.linger().toMillis(), "rate=" + s.bytesPerSecondPerPartition(),
                    "warmupMs=" + s.warmup().toMillis(), "measureMs=" + s.measure().toMillis(),
                    "records=" + s.records(), "seed=" + s.seed());
        }

        static Share fromArgs(String[] args) {
            Map<String, String> a = keyValues(args);
            Function<String, Long> n = k -> Long.parseLong(a.get(k));
            WorkloadSpec spec = new WorkloadSpec("child", StoreKind.named(a.get("store")),
                    n.apply("producers").intValue(), 0, 0, n.apply("partitions").intValue(),
                    n.apply("recordBytes").intValue(), n.apply("batchBytes").intValue(),
                    Duration.ofMillis(n.apply("lingerMs")), n.apply("rate"), Duration.ofMillis(n.apply("warmupMs")),
                    Duration.ofMillis(n.apply("measureMs")), n.apply("records"), Duration.ofSeconds(5), 500,
                    n.apply("seed"));
            return new Share(spec, a.get("location"), a.get("topic"), n.apply("first").intValue(),
                    n.apply("count").intValue());
        }
    }

    private ProducerLoad() {}

    /**
     * The child JVM: sets up its share, prints {@value #READY_LINE}, reads the wall-clock start from standard input,
     * runs, and prints the outcome.
     */
    public static void main(String[] args) {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        Outcome o = run(Share.fromArgs(args), System::getenv, () -> {
            System.out.println(READY_LINE);
            System.out.flush();
            try {
                return Long.parseLong(in.readLine().trim());
            } catch (IOException | RuntimeException e) {
                throw new IllegalStateException("no start time from the parent", e);
            }
        });
        System.out.println(o.encode());
        System.out.flush();
        System.exit(0); // the SDK's threads are daemons, but be sure
    }

    private static Map<String, String> keyValues(String[] args) {
        Map<String, String> a = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            a.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        return a;
    }

    /**
     * Runs the share and returns once every producer has flushed and closed.
     *
     * @param startAt called once the clients and producers are set up: the wall-clock millisecond at which sending
     *     starts (the window starts {@code spec.warmup()} later)
     */
    static Outcome run(Share share, Function<String, String> env, LongSupplier startAt) {
        WorkloadSpec spec = share.spec();
        List<CountingObjectStore> stores = new ArrayList<>();
        List<SiltClient> clients = new ArrayList<>();
        ConcurrentHistogram acks = new ConcurrentHistogram(MAX_ACK_MICROS, 3);
        LongAdder sent = new LongAdder();
        LongAdder acked = new LongAdder();
        LongAdder ackedBytes = new LongAdder();
        LongAdder failed = new LongAdder();
        LongAccumulator lastAck = new LongAccumulator(Math::max, Long.MIN_VALUE);
        Times times = new Times();
        boolean byCount = spec.records() > 0;
        List<Thread> threads = new ArrayList<>();
        try {
            for (int i = share.first(); i < share.first() + share.count(); i++) {
                CountingObjectStore store = CountingObjectStore.wrap(RetryingObjectStore.wrap(
                        spec.store().open(share.location(), env, spec.seed() * 1_000 + i)));
                stores.add(store);
                SiltClient client = Silt.builder(share.location()).store(store).seed(spec.seed() * 1_000 + i).build();
                clients.add(client);
                Producer producer = client.producer(ProducerConfig.defaults().withBatchBytes(spec.batchBytes())
                        .withLinger(spec.linger()).withBufferBytes(bufferBytes(spec)));
                double rate = spec.recordsPerSecond() / spec.producers();
                long quota = byCount ? spec.records() / spec.producers()
                        + (i < spec.records() % spec.producers() ? 1 : 0) : Long.MAX_VALUE;
                byte[][] values = values(spec.recordBytes(), spec.seed() * 7_919 + i);
                int index = i;
                Runnable loop = () -> {
                    times.await();
                    long startNanos = times.start;
                    long warmNanos = times.warm;
                    long endNanos = times.end;
                    sleepUntil(startNanos);
                    long n = 0;
                    long inWindow = 0;
                    while (inWindow < quota) {
                        long now = System.nanoTime();
                        if (now >= endNanos) {
                            break;
                        }
                        if (rate > 0 && n >= (long) ((now - startNanos) / 1e9 * rate)) {
                            LockSupport.parkNanos(500_000L);
                            continue;
                        }
                        boolean counted = now >= warmNanos;
                        if (counted) {
                            inWindow++;
                        }
                        byte[] value = values[(int) (n & (values.length - 1))];
                        int partition = (int) ((n + index) % spec.partitions());
                        producer.send(new ProducerRecord(share.topic(), partition, null, value, List.of(),
                                System.currentTimeMillis())).whenComplete((m, e) -> {
                                    long at = System.nanoTime();
                                    if (e != null) {
                                        failed.increment();
                                        return;
                                    }
                                    if (counted) {
                                        acks.recordValue(Math.min(MAX_ACK_MICROS, (at - now) / 1_000));
                                    }
                                    if (byCount ? counted : at >= warmNanos && at < endNanos) {
                                        acked.increment();
                                        ackedBytes.add(value.length);
                                        lastAck.accumulate(at);
                                    }
                                });
                        n++;
                        sent.increment();
                    }
                    producer.flush();
                };
                Thread t = new Thread(loop, "workload-producer-" + i);
                t.setDaemon(true);
                threads.add(t);
            }
            threads.forEach(Thread::start);
            times.start(startAt.getAsLong(), spec);
            sleepUntil(times.warm);
            RequestCounts before = total(stores);
            for (Thread t : threads) {
                long left = byCount ? TimeUnit.MINUTES.toMillis(10) : Math.max(1, (times.end - System.nanoTime())
                        / 1_000_000);
                t.join(left);
            }
            RequestCounts during = total(stores).minus(before);
            for (Thread t : threads) {
                t.join(TimeUnit.MINUTES.toMillis(5));
                if (t.isAlive()) {
                    throw new IllegalStateException(t.getName() + " did not finish");
                }
            }
            long window = byCount ? Math.max(0, lastAck.get() - times.warm) : times.end - times.warm;
            return new Outcome(sent.sum(), acked.sum(), ackedBytes.sum(), failed.sum(), window, during, acks);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            clients.forEach(SiltClient::close);
        }
    }

    /**
     * The producers' {@code buffer.memory}: two batches per partition, at most the default 64 MiB. A producer sending
     * as fast as it can then keeps one batch in flight and one filling on each partition, and its acknowledgement
     * latency measures that pipeline rather than the wait in a 64 MiB queue.
     */
    static long bufferBytes(WorkloadSpec spec) {
        return Math.min(Math.max(64L << 20, 2L * spec.batchBytes()), 2L * spec.batchBytes() * spec.partitions());
    }

    static RequestCounts total(List<CountingObjectStore> stores) {
        RequestCounts sum = RequestCounts.ZERO;
        for (CountingObjectStore s : stores) {
            sum = sum.plus(s.counts());
        }
        return sum;
    }

    /** 1,024 random (incompressible) values. */
    static byte[][] values(int size, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[][] out = new byte[1024][size];
        for (byte[] v : out) {
            random.nextBytes(v);
        }
        return out;
    }

    /** The run's times on this JVM's {@code System.nanoTime}, known once the start is. */
    private static final class Times {
        private final CountDownLatch known = new CountDownLatch(1);
        private volatile long start;
        private volatile long warm;
        private volatile long end;

        void start(long startAtMillis, WorkloadSpec spec) {
            start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(startAtMillis - System.currentTimeMillis());
            warm = start + spec.warmup().toNanos();
            end = warm + spec.measure().toNanos();
            known.countDown();
        }

        void await() {
            try {
                known.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    static void sleepUntil(long nanoTime) {
        long wait = nanoTime - System.nanoTime();
        if (wait > 0) {
            LockSupport.parkNanos(wait);
            while (System.nanoTime() < nanoTime) {
                LockSupport.parkNanos(nanoTime - System.nanoTime());
            }
        }
    }
}
