package io.silt.bench.workload;

import io.silt.bench.s3proxy.S3ProxyProcess;
import io.silt.client.Consumer;
import io.silt.client.ConsumerConfig;
import io.silt.client.ConsumerRecord;
import io.silt.client.Silt;
import io.silt.client.SiltClient;
import io.silt.storage.CountingObjectStore;
import io.silt.storage.RequestCounts;
import io.silt.storage.RetryingObjectStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Runs a {@link WorkloadSpec} through the SDK: creates the topic, starts the consumer group in this JVM and waits
 * until it owns every partition, then runs the producers (in this JVM, or spread over child JVMs of this classpath) for the
 * warm-up and the measured window, waits for the consumers to catch up, and returns the {@link WorkloadResult}. Every
 * client has its own store instance wrapped in a {@link CountingObjectStore}; the counts are taken over the window.
 */
public final class WorkloadRunner {
    private static final System.Logger LOG = System.getLogger(WorkloadRunner.class.getName());
    private static final String TOPIC = "workload";
    private static final String GROUP = "workload-group";
    private static final Duration CATCH_UP = Duration.ofSeconds(60);

    /**
     * Where the runs' data goes.
     *
     * @param workDir local stores get a fresh directory under it
     * @param s3proxy the S3Proxy server for {@link StoreKind#S3PROXY} (its bucket {@link #BUCKET} created), or
     *     {@code null}
     */
    public record Stores(Path workDir, S3ProxyProcess s3proxy) {
        /** The bucket S3Proxy workloads use, each under a prefix of its own. */
        public static final String BUCKET = "bench";

        Map<String, String> environment(StoreKind kind) {
            return kind == StoreKind.S3PROXY ? s3proxy.environment() : Map.of();
        }
    }

    private WorkloadRunner() {}

    /** Runs {@code spec} on a fresh location of its store. */
    public static WorkloadResult run(WorkloadSpec spec, Stores stores) {
        String location = location(spec, stores);
        Map<String, String> env = stores.environment(spec.store());
        Function<String, String> envLookup = env::get;
        try (SiltClient admin = client(spec, location, envLookup, -1, null)) {
            admin.admin().createTopic(TOPIC, spec.partitions());
        }
        LOG.log(Level.INFO, () -> "workload " + spec.describe());
        List<CountingObjectStore> consumerStores = new ArrayList<>();
        ConcurrentHistogram endToEnd = new ConcurrentHistogram(TimeUnit.HOURS.toMillis(1), 3);
        LongAdder consumed = new LongAdder();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> consumerError = new AtomicReference<>();
        AtomicIntegerArray owned = new AtomicIntegerArray(Math.max(1, spec.consumers()));
        // wall-clock ms [start, end): records stamped in it count
        AtomicLongArray window = new AtomicLongArray(new long[] {Long.MAX_VALUE, Long.MAX_VALUE});
        List<Thread> consumers = new ArrayList<>();
        try {
            for (int c = 0; c < spec.consumers(); c++) {
                CountingObjectStore[] store = new CountingObjectStore[1];
                SiltClient client = client(spec, location, envLookup, 10_000 + c, store);
                consumerStores.add(store[0]);
                int index = c;
                Thread t = new Thread(() -> consume(spec, client, index, owned, window, endToEnd, consumed, stop,
                        consumerError), "workload-consumer-" + c);
                t.setDaemon(true);
                consumers.add(t);
                t.start();
            }
            awaitAssignment(spec, owned, consumerError);

            // The consumers' requests over the producers' window: snapshots taken on a timer thread.
            RequestCounts[] consumerCounts = new RequestCounts[2];
            Thread timer = new Thread(() -> {
                ProducerLoad.sleepUntil(nanoAt(window.get(0)));
                consumerCounts[0] = ProducerLoad.total(consumerStores);
            }, "workload-window");
            timer.setDaemon(true);
            LongSupplier begin = () -> {
                long startAt = System.currentTimeMillis() + 200;
                window.set(0, startAt + spec.warmup().toMillis());
                window.set(1, spec.records() > 0 ? Long.MAX_VALUE : window.get(0) + spec.measure().toMillis());
                timer.start();
                return startAt;
            };
            ProducerLoad.Outcome produced = produce(spec, location, env, begin);
            timer.join();
            consumerCounts[1] = ProducerLoad.total(consumerStores);
            if (spec.records() > 0) {
                window.set(1, window.get(0) + TimeUnit.NANOSECONDS.toMillis(produced.windowNanos()));
            }
            long deadline = System.nanoTime() + CATCH_UP.toNanos();
            while (spec.consumers() > 0 && consumed.sum() < produced.sent() && System.nanoTime() < deadline
                    && consumerError.get() == null) {
                Thread.sleep(20);
            }
            if (consumerError.get() != null) {
                throw new IllegalStateException("a consumer failed", consumerError.get());
            }
            if (spec.consumers() > 0 && consumed.sum() < produced.sent()) {
                LOG.log(Level.WARNING, spec.name() + ": the consumers received " + consumed.sum() + " of "
                        + produced.sent() + " records within " + CATCH_UP.toSeconds() + " s");
            }
            stop.set(true);
            for (Thread t : consumers) {
                t.join(TimeUnit.SECONDS.toMillis(30));
            }
            Histogram e2e = endToEnd.copy();
            return new WorkloadResult(spec, produced.acked(), produced.ackedBytes(), produced.windowNanos() / 1e9,
                    produced.failed(), produced.sent(), consumed.sum(), produced.requests(),
                    consumerCounts[1].minus(consumerCounts[0]), produced.acks(), e2e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            stop.set(true);
        }
    }

    private static String location(WorkloadSpec spec, Stores stores) {
        String tag = spec.name().replaceAll("[^A-Za-z0-9]+", "-") + "-" + Long.toString(System.nanoTime(), 36);
        if (spec.store() == StoreKind.S3PROXY) {
            if (stores.s3proxy() == null) {
                throw new IllegalStateException("workload " + spec.name() + " needs S3Proxy, which is not running");
            }
            return stores.s3proxy().storeUri(Stores.BUCKET, tag);
        }
        try {
            return Files.createDirectories(stores.workDir().resolve(tag)).toAbsolutePath().toString();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a store directory under " + stores.workDir(), e);
        }
    }

    /** A client over its own (counted, retrying) store instance; {@code counted[0]} receives the counting store. */
    private static SiltClient client(WorkloadSpec spec, String location, Function<String, String> env, long index,
                                     CountingObjectStore[] counted) {
        CountingObjectStore store = CountingObjectStore.wrap(RetryingObjectStore.wrap(
                spec.store().open(location, env, spec.seed() * 1_000 + index)));
        if (counted != null) {
            counted[0] = store;
        }
        return Silt.builder(location).store(store).seed(spec.seed() * 1_000 + index).build();
    }

    private static void consume(WorkloadSpec spec, SiltClient client, int index, AtomicIntegerArray owned,
                                AtomicLongArray window, ConcurrentHistogram endToEnd, LongAdder consumed, AtomicBoolean stop,
                                AtomicReference<Throwable> error) {
        ConsumerConfig cc = ConsumerConfig.defaults().withGroupId(GROUP)
                .withAutoOffsetReset(ConsumerConfig.OffsetReset.EARLIEST)
                .withAutoCommitInterval(spec.commitInterval()).withMaxPollRecords(spec.maxPollRecords());
        try (client; Consumer consumer = client.consumer(cc)) {
            consumer.subscribe(List.of(TOPIC));
            while (!stop.get()) {
                List<ConsumerRecord> got = consumer.poll(Duration.ofMillis(100));
                long now = System.currentTimeMillis();
                owned.set(index, consumer.assignment().size());
                for (ConsumerRecord r : got) {
                    if (r.timestamp() >= window.get(0) && r.timestamp() < window.get(1)) {
                        endToEnd.recordValue(Math.max(0, now - r.timestamp()));
                    }
                }
                consumed.add(got.size());
            }
        } catch (Throwable t) {
            error.compareAndSet(null, t);
        }
    }

    private static void awaitAssignment(WorkloadSpec spec, AtomicIntegerArray owned,
                                        AtomicReference<Throwable> error) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (spec.consumers() > 0) {
            int sum = 0;
            for (int i = 0; i < owned.length(); i++) {
                sum += owned.get(i);
            }
            if (sum == spec.partitions()) {
                return;
            }
            if (error.get() != null) {
                throw new IllegalStateException("a consumer failed", error.get());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the consumer group owned " + sum + " of " + spec.partitions()
                        + " partitions after 60 s");
            }
            Thread.sleep(20);
        }
    }

    private static long nanoAt(long epochMillis) {
        return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(epochMillis - System.currentTimeMillis());
    }

    /**
     * Runs the producers in this JVM, or spread over {@code spec.processes()} child JVMs, and adds up what they did.
     * Child JVMs start, set up their producers and say so; then all are given the same start time.
     */
    private static ProducerLoad.Outcome produce(WorkloadSpec spec, String location, Map<String, String> env,
                                                LongSupplier begin) {
        if (spec.processes() == 0) {
            return ProducerLoad.run(new ProducerLoad.Share(spec, location, TOPIC, 0, spec.producers()), env::get,
                    begin);
        }
        String java = ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<Process> children = new ArrayList<>();
        List<BufferedReader> outputs = new ArrayList<>();
        try {
            int first = 0;
            for (int j = 0; j < spec.processes(); j++) {
                int count = spec.producers() / spec.processes() + (j < spec.producers() % spec.processes() ? 1 : 0);
                List<String> cmd = new ArrayList<>(List.of(java, "-Xmx1g", "-cp",
                        System.getProperty("java.class.path"), ProducerLoad.class.getName()));
                cmd.addAll(new ProducerLoad.Share(spec, location, TOPIC, first, count).toArgs());
                ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
                pb.environment().putAll(env);
                Process p = pb.start();
                children.add(p);
                outputs.add(new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)));
                first += count;
            }
            for (int j = 0; j < children.size(); j++) {
                awaitLine(children.get(j), outputs.get(j), ProducerLoad.READY_LINE);
            }
            long startAt = begin.getAsLong();
            for (Process p : children) {
                p.outputWriter(StandardCharsets.UTF_8).append(Long.toString(startAt)).append('\n').flush();
            }
            ProducerLoad.Outcome sum = null;
            for (int j = 0; j < children.size(); j++) {
                ProducerLoad.Outcome o = ProducerLoad.Outcome.decode(awaitLine(children.get(j), outputs.get(j),
                        ProducerLoad.CHILD_LINE));
                sum = sum == null ? o : sum.plus(o);
            }
            for (Process p : children) {
                if (p.waitFor() != 0) {
                    throw new IllegalStateException("producer JVM " + p.pid() + " exited with " + p.exitValue());
                }
            }
            return sum;
        } catch (IOException e) {
            throw new UncheckedIOException("could not run a producer JVM", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            children.forEach(Process::destroy);
        }
    }

    /** Reads the child's output up to the line starting with {@code prefix}, and returns that line. */
    private static String awaitLine(Process p, BufferedReader out, String prefix) throws IOException {
        for (String line; (line = out.readLine()) != null; ) {
            if (line.startsWith(prefix)) {
                return line;
            }
        }
        throw new IllegalStateException("producer JVM " + p.pid() + " ended its output without " + prefix.trim());
    }
}
