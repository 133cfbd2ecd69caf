package io.silt.storage.log;

import io.silt.storage.ForwardingObjectStore;
import static java.nio.charset.StandardCharsets.US_ASCII;

import io.silt.storage.CreateResult;
import io.silt.storage.ObjectInfo;
import io.silt.storage.ObjectStore;
import io.silt.storage.ObjectStores;
import io.silt.storage.RetryingObjectStore;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One process of the multi-process and kill tests ({@link PartitionLogProcessContract}): opens a store from its URI
 * (S3 credentials from {@code SILT_S3_ACCESS_KEY} / {@code SILT_S3_SECRET_KEY}), wraps it in a
 * {@link RetryingObjectStore} as production does, and appends to one partition with one {@link PartitionWriter} and
 * several producer threads, each an idempotent producer that sends {@link LogWorkload} batches one after the other
 * (the next only once the previous one is acknowledged) and retries a failed batch with the same sequence number.
 *
 * <p>Arguments, {@code name=value}:
 * <ul>
 *   <li>{@code store=<uri>}, {@code prefix=<partition prefix>}</li>
 *   <li>{@code producers=<n>}: n producers with random ids, epoch 1, from sequence 0; or
 *       {@code producers=<hex id>:<epoch>:<first seq>,...}: these producers (a restart)</li>
 *   <li>{@code until=<seq>}: each producer sends batches while its next sequence number is below this</li>
 *   <li>{@code inline=<bytes>}: the inline threshold (default 4096)</li>
 *   <li>{@code gate=stdin}: warm up (open the partition, write and delete a scratch object under {@code warmup/}),
 *       print {@code READY}, then wait for a line on stdin before appending</li>
 *   <li>{@code halt=segment:<n>} / {@code halt=commit:<n>}: a test hook that kills the process
 *       ({@code Runtime.halt(137)}) right after the n-th segment upload returned, or right after the n-th commit
 *       record was created and before any batch in it is acknowledged</li>
 * </ul>
 * Its stdout is its protocol; each line is written with one unbuffered write, so a kill never leaves half a line:
 * <pre>
 *   PRODUCER &lt;hex id&gt; &lt;epoch&gt; &lt;first seq&gt;
 *   READY
 *   ACK &lt;hex id&gt; &lt;first seq&gt; &lt;count&gt; &lt;base offset&gt; &lt;commit seq&gt; new|dup
 *   RETRY &lt;hex id&gt; &lt;first seq&gt; &lt;exception class&gt;
 *   FAIL &lt;hex id&gt; &lt;first seq&gt; &lt;exception&gt;     (then exit code 3)
 *   STATS commits=&lt;commit records created&gt; lost=&lt;commit races lost&gt;
 *   DONE
 * </pre>
 */
public final class AppendWorker {
    static final int HALT_EXIT_CODE = 137;
    private static final int MAX_TRIES = 20;
    private static final OutputStream OUT = new FileOutputStream(FileDescriptor.out);

    private AppendWorker() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            a.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        RaceCounter races = new RaceCounter(RetryingObjectStore.wrap(ObjectStores.open(a.get("store"))));
        ObjectStore store = races;
        String halt = a.getOrDefault("halt", "none");
        if (!halt.equals("none")) {
            String[] h = halt.split(":");
            store = new HaltingStore(store, h[0], Integer.parseInt(h[1]));
        }
        String prefix = a.get("prefix");
        int until = Integer.parseInt(a.get("until"));
        LogConfig config = LogConfig.DEFAULTS.withInlineThreshold(Integer.parseInt(a.getOrDefault("inline", "4096")));
        ExecutorService pool = Executors.newFixedThreadPool(6);
        PartitionWriter writer = new PartitionWriter(store, prefix, config, Clock.systemUTC(), System::nanoTime,
                new SplittableRandom(), pool);

        List<ProducerId> producers = new ArrayList<>();
        List<Integer> starts = new ArrayList<>();
        String spec = a.get("producers");
        if (spec.contains(":")) {
            for (String p : spec.split(",")) {
                String[] f = p.split(":");
                producers.add(new ProducerId(Long.parseUnsignedLong(f[0], 16), Integer.parseInt(f[1])));
                starts.add(Integer.parseInt(f[2]));
            }
        } else {
            SplittableRandom random = new SplittableRandom();
            for (int i = 0; i < Integer.parseInt(spec); i++) {
                long id = random.nextLong();
                producers.add(new ProducerId(id == 0 ? 1 : id, 1));
                starts.add(0);
            }
        }
        for (int i = 0; i < producers.size(); i++) {
            emit("PRODUCER " + LogWorkload.hex(producers.get(i).id()) + " " + producers.get(i).epoch() + " "
                    + starts.get(i));
        }
        if ("stdin".equals(a.get("gate"))) {
            // Warm up (HTTP connections, signing, class loading, JIT) so that all workers start appending together.
            PartitionView.openForWriting(store, prefix, config, System::nanoTime);
            String scratch = "warmup/" + Long.toHexString(new SplittableRandom().nextLong());
            store.put(scratch, new byte[16]);
            store.delete(scratch);
            LogWorkload.batch(producers.get(0), 0);
        }
        emit("READY");
        if ("stdin".equals(a.get("gate"))) {
            String line = new BufferedReader(new InputStreamReader(System.in, US_ASCII)).readLine();
            if (line == null) {
                emit("FAIL - - no start signal on stdin");
                System.exit(2);
            }
        }

        AtomicInteger failed = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < producers.size(); i++) {
            ProducerId pid = producers.get(i);
            int start = starts.get(i);
            Thread t = new Thread(() -> {
                if (!produce(writer, pid, start, until)) {
                    failed.incrementAndGet();
                }
            }, "producer-" + LogWorkload.hex(pid.id()));
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.SECONDS);
        store.close();
        if (failed.get() > 0) {
            System.exit(3);
        }
        emit("STATS commits=" + races.won.get() + " lost=" + races.lost.get());
        emit("DONE");
        System.exit(0);
    }

    /** Sends one producer's batches; returns false if a batch failed for good. */
    private static boolean produce(PartitionWriter writer, ProducerId pid, int start, int until) {
        String id = LogWorkload.hex(pid.id());
        int seq = start;
        while (seq < until) {
            PreparedBatch batch = LogWorkload.batch(pid, seq);
            for (int tries = 1; ; tries++) {
                try {
                    AppendResult r = writer.append(batch).get(120, TimeUnit.SECONDS);
                    emit("ACK " + id + " " + seq + " " + r.recordCount() + " " + r.baseOffset() + " " + r.commitSeq()
                            + " " + (r.duplicate() ? "dup" : "new"));
                    break;
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    boolean retriable = cause instanceof LogException le ? le.isRetriable()
                            : cause instanceof io.silt.storage.ObjectStoreException se && se.isRetriable();
                    if (!retriable || tries >= MAX_TRIES) {
                        emit("FAIL " + id + " " + seq + " " + cause);
                        return false;
                    }
                    emit("RETRY " + id + " " + seq + " " + cause.getClass().getSimpleName());
                } catch (Exception e) {
                    emit("FAIL " + id + " " + seq + " " + e);
                    return false;
                }
            }
            seq += batch.recordCount();
        }
        return true;
    }

    static synchronized void emit(String line) {
        try {
            OUT.write((line.replace('\n', ' ') + "\n").getBytes(US_ASCII));
        } catch (IOException e) {
            Runtime.getRuntime().halt(4); // the test reading our stdout is gone
        }
    }

    /** Counts the commit races this process won and lost. */
    static final class RaceCounter extends ForwardingObjectStore {
        final AtomicInteger won = new AtomicInteger();
        final AtomicInteger lost = new AtomicInteger();

        RaceCounter(ObjectStore delegate) {
            super(delegate);
        }

        @Override
        public CreateResult putIfAbsent(String key, byte[] data, Map<String, String> metadata) {
            CreateResult r = delegate.putIfAbsent(key, data, metadata);
            if (key.contains("/log/")) {
                (r.created() ? won : lost).incrementAndGet();
            }
            return r;
        }
    }

    /** The test hook: kills the process right after the n-th segment upload or the n-th commit record won. */
    static final class HaltingStore extends ForwardingObjectStore {
        private final String point;
        private final int n;
        private final AtomicInteger count = new AtomicInteger();

        HaltingStore(ObjectStore delegate, String point, int n) {
            super(delegate);
            if (!point.equals("segment") && !point.equals("commit")) {
                throw new IllegalArgumentException("halt point must be segment or commit: " + point);
            }
            this.point = point;
            this.n = n;
        }

        @Override
        public ObjectInfo put(String key, byte[] data, Map<String, String> metadata) {
            ObjectInfo info = delegate.put(key, data, metadata);
            if (point.equals("segment") && key.contains("/seg/") && count.incrementAndGet() == n) {
                Runtime.getRuntime().halt(HALT_EXIT_CODE);
            }
            return info;
        }

        @Override
        public CreateResult putIfAbsent(String key, byte[] data, Map<String, String> metadata) {
            CreateResult r = delegate.putIfAbsent(key, data, metadata);
            if (point.equals("commit") && key.contains("/log/") && r.created() && count.incrementAndGet() == n) {
                Runtime.getRuntime().halt(HALT_EXIT_CODE);
            }
            return r;
        }
    }
}
