package io.silt.storage.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.silt.storage.ObjectInfo;
import io.silt.storage.ObjectStore;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The partition log across processes, run against every store that several processes can share: several
 * {@link AppendWorker} JVMs append to one partition at once; workers killed with SIGKILL (at random moments, or by a
 * test hook right after a segment upload or right after a commit record won) and restarted with the same producers
 * lose nothing that was acknowledged and append nothing twice.
 */
abstract class PartitionLogProcessContract {
    private static final System.Logger LOG = System.getLogger(PartitionLogProcessContract.class.getName());
    static final String PREFIX = PartitionLogContract.PREFIX;
    static final Duration TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    Path tmp;

    private ObjectStore store;
    private final List<WorkerProcess> workers = new ArrayList<>();

    /** The URI the workers open; the same location for the whole test. */
    protected abstract String storeUri();

    /** The same location, opened in this JVM. */
    protected abstract ObjectStore openStore();

    /** Environment variables for the workers (S3 credentials). */
    protected Map<String, String> workerEnv() {
        return Map.of();
    }

    /** How many workers append at once in the concurrency test. */
    protected int processes() {
        return 4;
    }

    @AfterEach
    void stopWorkers() {
        workers.forEach(WorkerProcess::close);
        if (store != null) {
            store.close();
        }
    }

    protected ObjectStore store() {
        if (store == null) {
            store = openStore();
        }
        return store;
    }

    private PartitionReader reader() {
        return new PartitionReader(store(), PREFIX, LogConfig.DEFAULTS, System::nanoTime);
    }

    private WorkerProcess worker(String name, int killAfterAcks, String... args) {
        List<String> all = new ArrayList<>(List.of("store=" + storeUri(), "prefix=" + PREFIX));
        all.addAll(Arrays.asList(args));
        WorkerProcess w = WorkerProcess.start(name, tmp, workerEnv(), killAfterAcks, all.toArray(String[]::new));
        workers.add(w);
        return w;
    }

    @Test
    void processesAppendingConcurrentlyLoseNothingDuplicateNothingAndAgreeOnOneOrder() throws Exception {
        int until = 700;
        List<WorkerProcess> ws = new ArrayList<>();
        for (int p = 0; p < processes(); p++) {
            ws.add(worker("append-" + p, 0, "producers=3", "until=" + until, "gate=stdin"));
        }
        for (WorkerProcess w : ws) {
            assertThat(w.awaitLine("READY", TIMEOUT)).as("ready: %s", w.diagnostics()).isTrue();
        }
        ws.forEach(w -> w.send("go"));
        long started = System.nanoTime();

        // A reader in this JVM tails the partition while the workers write.
        TailingReader tailer = new TailingReader(this::reader, false);
        CompletableFuture<List<LogRecord>> tailed = CompletableFuture.supplyAsync(tailer::run);

        for (WorkerProcess w : ws) {
            assertThat(w.awaitExit(TIMEOUT)).as("exit code of %s", w.diagnostics()).isZero();
            assertThat(w.lines()).as("%s finished", w).contains("DONE");
        }
        long writeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        tailer.finish();

        Map<Long, Integer> expected = new HashMap<>();
        List<LogWorkload.Ack> acks = new ArrayList<>();
        Map<WorkerProcess, long[]> offsetRanges = new LinkedHashMap<>();
        for (WorkerProcess w : ws) {
            assertThat(w.producers()).as("producers of %s", w).hasSize(3);
            w.producers().keySet().forEach(id -> expected.put(id, LogWorkload.endSeq(id, until)));
            List<LogWorkload.Ack> a = w.acks();
            assertThat(a).as("acknowledgements of %s", w).isNotEmpty().noneMatch(LogWorkload.Ack::duplicate);
            acks.addAll(a);
            offsetRanges.put(w, new long[] {a.stream().mapToLong(LogWorkload.Ack::baseOffset).min().orElseThrow(),
                    a.stream().mapToLong(LogWorkload.Ack::baseOffset).max().orElseThrow()});
        }
        assertThat(expected).as("distinct producer ids").hasSize(3 * processes());

        PartitionReader first = reader();
        List<LogRecord> log = PartitionLogContract.readAll(first, 0);
        LogWorkload.verify(log, expected, acks);
        assertThat(PartitionLogContract.readAll(reader(), 0)).as("a second reader").isEqualTo(log);
        assertThat(tailed.get(60, TimeUnit.SECONDS)).as("the reader that tailed the writes").isEqualTo(log);

        List<String> stats = ws.stream().flatMap(w -> w.lines().stream()).filter(l -> l.startsWith("STATS")).toList();
        LOG.log(Level.INFO, "{0}: {1} processes appended {2} records in {3} batches with {4} commit records in {5} ms;"
                + " the tailing reader and two fresh readers agree; per process {6}; offsets per process {7}",
                store().describe(), processes(), log.size(), acks.size(), first.view().head(), writeMillis, stats,
                offsetRanges.values().stream().map(Arrays::toString).toList());
        // The processes really raced for commit numbers (a loser reads the winner and tries again).
        long lostRaces = stats.stream().mapToLong(l -> Long.parseLong(l.substring(l.indexOf("lost=") + 5))).sum();
        assertThat(stats).as("race statistics of the workers").hasSize(processes());
        assertThat(lostRaces).as("commit races lost by the workers (none: they did not run at the same time)")
                .isPositive();
    }

    /**
     * Crash scenarios, each a list of crashes followed by a run that completes: {@code kill:n} kills the worker with
     * SIGKILL as soon as it printed its n-th acknowledgement; {@code segment:n} halts it right after its n-th
     * segment upload (between upload and commit); {@code commit:n} right after its n-th commit record was created
     * (between commit and acknowledgement). Each run after the first restarts the same producers (ids and epochs)
     * from the sequence after their last acknowledged batch, so the batch each had in flight is sent again with its
     * original sequence number, as an idempotent producer that retries would.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"kill:1", "kill:12", "segment:3", "commit:1", "commit:5", "commit:2,segment:4,kill:3"})
    void aKilledWorkerRestartedWithTheSameProducersLosesNothingAndDuplicatesNothing(String crashes) throws Exception {
        int until = 400;
        Map<Long, Integer> next = null; // producer -> next sequence number
        List<LogWorkload.Ack> acks = new ArrayList<>();
        int round = 0;
        boolean haltedAfterCommit = false;
        boolean haltedAfterSegment = false;
        for (String crash : crashes.split(",")) {
            String[] c = crash.split(":");
            int n = Integer.parseInt(c[1]);
            String producers = next == null ? "producers=3" : producersArg(next);
            WorkerProcess w;
            if (c[0].equals("kill")) {
                w = worker("crash-" + round + "-" + crash, n, producers, "until=" + until);
                int code = w.awaitExit(TIMEOUT);
                assertThat(w.wasKilled()).as("%s was killed after %d acknowledgements: %s", w, n, w.diagnostics())
                        .isTrue();
                assertThat(code).as("exit code of %s", w).isNotZero();
            } else {
                w = worker("crash-" + round + "-" + c[0], 0, producers, "until=" + until, "halt=" + crash);
                assertThat(w.awaitExit(TIMEOUT)).as("%s halted by its hook: %s", w, w.diagnostics())
                        .isEqualTo(AppendWorker.HALT_EXIT_CODE);
                haltedAfterCommit |= c[0].equals("commit");
                haltedAfterSegment |= c[0].equals("segment");
            }
            assertThat(w.lines()).as("%s output", w).doesNotContain("DONE").noneMatch(l -> l.startsWith("FAIL"));
            next = advance(next == null ? w.producers() : next, w.acks());
            acks.addAll(w.acks());
            round++;
        }
        WorkerProcess last = worker("restart-" + round, 0, producersArg(next), "until=" + until);
        assertThat(last.awaitExit(TIMEOUT)).as("exit code of %s", last.diagnostics()).isZero();
        assertThat(last.lines()).contains("DONE");
        acks.addAll(last.acks());

        Map<Long, Integer> expected = new HashMap<>();
        next.keySet().forEach(id -> expected.put(id, LogWorkload.endSeq(id, until)));
        PartitionReader reader = reader();
        List<LogRecord> log = PartitionLogContract.readAll(reader, 0);
        LogWorkload.verify(log, expected, acks);
        assertThat(PartitionLogContract.readAll(reader(), 0)).as("a second reader").isEqualTo(log);

        long duplicates = acks.stream().filter(LogWorkload.Ack::duplicate).count();
        if (haltedAfterCommit) {
            // The batches of the commit that won just before the halt were in the log but unacknowledged; sent
            // again, they were recognised and acknowledged with their original offsets (checked by verify).
            assertThat(duplicates).as("retried batches acknowledged as duplicates").isPositive();
        }
        Set<String> referenced = new HashSet<>();
        reader.view().entries().values().forEach(l -> {
            if (!l.entry().isInline()) {
                referenced.add(l.entry().segmentKey());
            }
        });
        List<String> orphans = store().listAll(PREFIX + "seg/").stream().map(ObjectInfo::key)
                .filter(k -> !referenced.contains(k)).toList();
        if (haltedAfterSegment) {
            assertThat(orphans).as("the segment uploaded just before the halt is an orphan").isNotEmpty();
        }
        LOG.log(Level.INFO, "{0} [{1}]: {2} runs, {3} records, {4} acknowledgements ({5} as duplicates), {6} orphan"
                + " segments left for GC", store().describe(), crashes, round + 1, log.size(), acks.size(),
                duplicates, orphans.size());
    }

    /** Producer states after a run: each producer's acknowledgements follow one another from where it started. */
    private static Map<Long, Integer> advance(Map<Long, Integer> from, List<LogWorkload.Ack> acks) {
        Map<Long, Integer> next = new LinkedHashMap<>(from);
        for (LogWorkload.Ack a : acks) {
            assertThat(next).as("producer of %s", a).containsKey(a.producerId());
            assertThat(a.firstSeq()).as("%s follows the previous acknowledgement", a)
                    .isEqualTo(next.get(a.producerId()));
            assertThat(a.count()).isEqualTo(LogWorkload.batchSize(a.producerId(), a.firstSeq()));
            next.put(a.producerId(), a.firstSeq() + a.count());
        }
        return next;
    }

    private static String producersArg(Map<Long, Integer> next) {
        return "producers=" + next.entrySet().stream()
                .map(e -> LogWorkload.hex(e.getKey()) + ":1:" + e.getValue())
                .collect(Collectors.joining(","));
    }
}
