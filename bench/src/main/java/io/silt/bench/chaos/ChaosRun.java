package io.silt.bench.chaos;

import io.silt.bench.chaos.history.Event;
import io.silt.bench.chaos.history.History;
import io.silt.bench.chaos.history.HistoryChecker;
import io.silt.bench.chaos.history.HistoryWriter;
import io.silt.bench.chaos.history.Violation;
import io.silt.client.Admin;
import io.silt.client.Consumer;
import io.silt.client.ConsumerConfig;
import io.silt.client.ConsumerRecord;
import io.silt.client.Header;
import io.silt.client.Silt;
import io.silt.client.SiltClient;
import io.silt.client.TopicPartition;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * One chaos run against one store: starts the workers, kills and pauses them at random while the producers send,
 * drains, reads every partition (the reference), and checks the histories. See {@link ChaosBench}.
 */
final class ChaosRun {
    private static final System.Logger LOG = System.getLogger(ChaosRun.class.getName());
    private static final String REFERENCE = "reference";

    /**
     * What a run did and found.
     *
     * @param store which store ({@code file} or {@code s3proxy})
     * @param duration from the first worker's start to the verdict
     * @param records records in the final log of the two topics (and the dead-letter topic)
     * @param counters the workers' counters summed (faults injected by kind, operations)
     * @param kills SIGKILLs by role
     * @param pauses SIGSTOP/SIGCONT pauses by role
     * @param crashes workers that exited by themselves with an error (restarted like killed ones)
     * @param drained whether the consumers caught up before the drain timeout
     * @param violations what the history checker found
     */
    record Outcome(String store, Duration duration, long records, Map<String, Long> counters,
                   Map<WorkerSpec.Role, Integer> kills, Map<WorkerSpec.Role, Integer> pauses, int crashes,
                   boolean drained, List<Violation> violations) {}

    private final ChaosBench.Options options;
    private final String store;
    private final String target;
    private final Map<String, String> env;
    private final Path dir;
    private final SplittableRandom random;
    private final List<WorkerHandle> workers = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Map<WorkerSpec.Role, Integer> kills = new EnumMap<>(WorkerSpec.Role.class);
    private final Map<WorkerSpec.Role, Integer> pauses = new EnumMap<>(WorkerSpec.Role.class);
    private int crashes;

    ChaosRun(ChaosBench.Options options, String store, String target, Map<String, String> env, Path dir) {
        this.options = options;
        this.store = store;
        this.target = target;
        this.env = env;
        this.dir = dir;
        this.random = new SplittableRandom(options.seed() ^ store.hashCode());
    }

    Outcome run() throws InterruptedException {
        long started = System.nanoTime();
        try (SiltClient client = Silt.builder(target).environment(env).build()) {
            Admin admin = client.admin();
            admin.createTopic(WorkerSpec.EVENTS, options.partitions());
            admin.createTopic(WorkerSpec.JOBS, options.partitions());
            admin.createTopic(WorkerSpec.DEAD_LETTERS, 1);
            Thread killAll = new Thread(this::killAll, "chaos-shutdown");
            Runtime.getRuntime().addShutdownHook(killAll);
            try {
                startWorkers();
                chaos();
                boolean drained = drain(client);
                killAll();
                long records;
                Violation unreadable = null;
                try {
                    records = readReference(client);
                } catch (RuntimeException e) {
                    LOG.log(Level.ERROR, "the final read failed", e);
                    unreadable = new Violation(Violation.Rule.UNREADABLE, e.toString());
                    records = -1;
                }
                History history = History.load(dir);
                List<Violation> violations = new ArrayList<>(HistoryChecker.check(history,
                        new HistoryChecker.Settings(options.maxDeliveries(), options.skew().toMillis(),
                                Set.of(WorkerSpec.JOBS))));
                if (unreadable != null) {
                    violations.add(0, unreadable);
                }
                return new Outcome(store, Duration.ofNanos(System.nanoTime() - started), records, counters(history),
                        kills, pauses, crashes, drained, violations);
            } finally {
                killAll();
                Runtime.getRuntime().removeShutdownHook(killAll);
            }
        }
    }

    /** Kills every worker (resuming a paused one first, so it does not linger stopped). */
    private void killAll() {
        for (WorkerHandle w : workers) {
            if (w.isPaused()) {
                w.resume();
            }
            try {
                w.kill();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private long workerSeed(String name, int instance) {
        return new SplittableRandom(options.seed() * 31 + (store + "/" + name + "/" + instance).hashCode()).nextLong();
    }

    private void startWorkers() {
        long perProducer = options.records() / options.producers();
        addWorkers(WorkerSpec.Role.COMPACTOR, "c", options.compactors(), 0);
        addWorkers(WorkerSpec.Role.GROUP_CONSUMER, "g", options.groupConsumers(), 0);
        addWorkers(WorkerSpec.Role.QUEUE_CONSUMER, "q", options.queueConsumers(), 0);
        for (int i = 0; i < options.producers(); i++) {
            long quota = perProducer + (i < options.records() % options.producers() ? 1 : 0);
            addWorkers(WorkerSpec.Role.PRODUCER, "p" + i, 1, quota);
        }
    }

    private void addWorkers(WorkerSpec.Role role, String prefix, int count, long quota) {
        for (int i = 0; i < count; i++) {
            String name = role == WorkerSpec.Role.PRODUCER ? prefix : prefix + i;
            WorkerSpec spec = new WorkerSpec(role, name, 0, dir, target, workerSeed(name, 0), options.faultRate(),
                    quota, options.rate() / options.producers(), options.valueBytes(), options.queueEvery(),
                    options.poisonEvery(), options.grace(), options.visibility(), options.maxDeliveries(),
                    options.session());
            workers.add(WorkerHandle.start(spec, env));
        }
    }

    /**
     * Until every producer has finished: every {@code killEvery} (±50 %) a SIGKILL, every {@code pauseEvery} a pause
     * of {@code pauseFor}, each time of the next role in turn (a random worker of it that has run for at least
     * {@code minUptime}, so it is past its start-up); killed workers are restarted after up to a second, crashed ones
     * after a second.
     */
    private void chaos() throws InterruptedException {
        List<WorkerSpec.Role> roles = List.of(WorkerSpec.Role.PRODUCER, WorkerSpec.Role.GROUP_CONSUMER,
                WorkerSpec.Role.COMPACTOR, WorkerSpec.Role.QUEUE_CONSUMER);
        int nextKillRole = random.nextInt(roles.size());
        int nextPauseRole = random.nextInt(roles.size());
        long now = System.nanoTime();
        long nextKill = now + jitter(options.killEvery());
        long nextPause = now + jitter(options.pauseEvery());
        long resumeAt = 0;
        WorkerHandle paused = null;
        Map<WorkerHandle, Long> restartAt = new java.util.HashMap<>();
        while (!workers.stream().filter(w -> w.spec().role() == WorkerSpec.Role.PRODUCER)
                .allMatch(WorkerHandle::isFinished)) {
            TimeUnit.MILLISECONDS.sleep(50);
            now = System.nanoTime();
            if (paused != null && now >= resumeAt) {
                paused.resume();
                LOG.log(Level.INFO, "resumed " + paused);
                paused = null;
            }
            for (WorkerHandle w : workers) {
                if (!w.isAlive() && !w.isFinished() && !restartAt.containsKey(w)) {
                    crashes++;
                    LOG.log(Level.WARNING, w + " exited by itself with " + w.exitValue() + "; see its .out file");
                    restartAt.put(w, now + TimeUnit.SECONDS.toNanos(1));
                }
            }
            for (var e : List.copyOf(restartAt.entrySet())) {
                if (now >= e.getValue()) {
                    restartAt.remove(e.getKey());
                    e.getKey().restart(workerSeed(e.getKey().spec().name(), e.getKey().spec().instance() + 1));
                }
            }
            if (now >= nextKill) {
                WorkerHandle victim = pick(roles.get(nextKillRole++ % roles.size()), paused, restartAt.keySet());
                if (victim != null) {
                    victim.kill();
                    kills.merge(victim.spec().role(), 1, Integer::sum);
                    LOG.log(Level.INFO, "killed " + victim + " with SIGKILL");
                    restartAt.put(victim, now + TimeUnit.MILLISECONDS.toNanos(random.nextLong(100, 1000)));
                }
                nextKill = now + jitter(options.killEvery());
            }
            if (paused == null && now >= nextPause) {
                WorkerHandle victim = pick(roles.get(nextPauseRole++ % roles.size()), null, restartAt.keySet());
                if (victim != null) {
                    victim.pause();
                    paused = victim;
                    resumeAt = now + options.pauseFor().toNanos();
                    pauses.merge(victim.spec().role(), 1, Integer::sum);
                    LOG.log(Level.INFO, "paused " + victim + " with SIGSTOP for " + options.pauseFor().toMillis()
                            + " ms");
                }
                nextPause = now + jitter(options.pauseEvery());
            }
        }
        if (paused != null) {
            paused.resume();
        }
        for (WorkerHandle w : restartAt.keySet()) {
            if (w.spec().role() != WorkerSpec.Role.PRODUCER) {
                w.restart(workerSeed(w.spec().name(), w.spec().instance() + 1));
            }
        }
    }

    private long jitter(Duration d) {
        long n = d.toNanos();
        return n / 2 + random.nextLong(Math.max(1, n));
    }

    private WorkerHandle pick(WorkerSpec.Role role, WorkerHandle except, Set<WorkerHandle> restarting) {
        List<WorkerHandle> candidates = workers.stream().filter(w -> w.spec().role() == role && w.isAlive()
                && w != except && !restarting.contains(w) && w.uptime().compareTo(options.minUptime()) >= 0)
                .toList();
        return candidates.isEmpty() ? null : candidates.get(random.nextInt(candidates.size()));
    }

    /**
     * Waits (at most the drain timeout) until the group has committed the end of every partition of
     * {@value WorkerSpec#EVENTS} and every message of {@value WorkerSpec#JOBS} was acked or dead-lettered.
     */
    private boolean drain(SiltClient client) throws InterruptedException {
        long deadline = System.nanoTime() + options.drainTimeout().toNanos();
        List<TopicPartition> events = partitions(WorkerSpec.EVENTS);
        List<TopicPartition> jobs = partitions(WorkerSpec.JOBS);
        try (Consumer c = client.consumer(ConsumerConfig.defaults().withGroupId(WorkerSpec.GROUP))) {
            while (System.nanoTime() < deadline) {
                Map<TopicPartition, Long> ends = c.endOffsets(events);
                boolean groupDone = events.stream().allMatch(tp -> c.committed(tp).orElse(0L) >= ends.get(tp));
                long jobsTotal = c.endOffsets(jobs).values().stream().mapToLong(Long::longValue).sum();
                long deadLettered = c.endOffsets(List.of(new TopicPartition(WorkerSpec.DEAD_LETTERS, 0))).values()
                        .stream().mapToLong(Long::longValue).sum();
                long settled = ackedQueueMessages() + deadLettered;
                LOG.log(Level.INFO, "draining: group " + (groupDone ? "done" : "behind") + ", queue " + settled
                        + " of " + jobsTotal + " settled");
                if (groupDone && settled >= jobsTotal) {
                    return true;
                }
                TimeUnit.SECONDS.sleep(2);
            }
        }
        return false;
    }

    private List<TopicPartition> partitions(String topic) {
        return IntStream.range(0, options.partitions()).mapToObj(p -> new TopicPartition(topic, p)).toList();
    }

    /** Distinct queue messages some consumer acked (whatever the outcome of the flush). */
    private long ackedQueueMessages() {
        Set<String> acked = new HashSet<>();
        for (List<Event> events : History.load(dir, "q").byProcess().values()) {
            for (Event e : events) {
                if (e instanceof Event.QueueAck a) {
                    acked.add(a.partition() + "/" + a.offset());
                }
            }
        }
        return acked.size();
    }

    /** Reads every partition from its start to its end into the reference history; returns the records read. */
    private long readReference(SiltClient client) {
        long n = 0;
        try (HistoryWriter out = new HistoryWriter(dir.resolve(REFERENCE + History.SUFFIX));
             Consumer c = client.consumer(ConsumerConfig.defaults().withGroupId(WorkerSpec.GROUP)
                     .withAutoCommit(false).withMaxPollRecords(5000))) {
            List<TopicPartition> all = new ArrayList<>(partitions(WorkerSpec.EVENTS));
            all.addAll(partitions(WorkerSpec.JOBS));
            all.add(new TopicPartition(WorkerSpec.DEAD_LETTERS, 0));
            c.assign(all);
            c.seekToBeginning(all);
            Map<TopicPartition, Long> starts = c.beginningOffsets(all);
            Map<TopicPartition, Long> ends = c.endOffsets(all);
            while (all.stream().anyMatch(tp -> c.position(tp) < ends.get(tp))) {
                for (ConsumerRecord r : c.poll(Duration.ofSeconds(1))) {
                    n++;
                    if (r.topic().equals(WorkerSpec.DEAD_LETTERS)) {
                        out.write(new Event.DeadLetter(header(r, "silt-dlq-topic"),
                                Integer.parseInt(header(r, "silt-dlq-partition")),
                                Long.parseLong(header(r, "silt-dlq-offset")), ChaosWorker.ridOf(r.value())));
                    } else {
                        out.write(new Event.Logged(r.topic(), r.partition(), r.offset(), ChaosWorker.ridOf(r.value()),
                                ChaosWorker.crc(r.value())));
                    }
                }
            }
            for (TopicPartition tp : all) {
                if (!tp.topic().equals(WorkerSpec.DEAD_LETTERS)) {
                    out.write(new Event.End(tp.topic(), tp.partition(), starts.get(tp), ends.get(tp)));
                }
            }
            for (TopicPartition tp : partitions(WorkerSpec.EVENTS)) {
                c.committed(tp).ifPresent(o -> out.write(new Event.GroupEnd(WorkerSpec.GROUP, tp.topic(),
                        tp.partition(), o)));
            }
        }
        return n;
    }

    private static String header(ConsumerRecord r, String name) {
        return r.headers().stream().filter(h -> h.name().equals(name)).map(Header::value)
                .map(v -> new String(v, StandardCharsets.UTF_8)).findFirst()
                .orElseThrow(() -> new IllegalStateException("dead letter without header " + name + " at "
                        + r.topic() + "/" + r.partition() + "@" + r.offset()));
    }

    /**
     * The last counters of every process, summed (a killed process's last half second is missing from them), and the
     * exact counts of sends, their outcomes and compaction runs by status, from the events.
     */
    private static Map<String, Long> counters(History history) {
        Map<String, Long> out = new TreeMap<>();
        for (List<Event> events : history.byProcess().values()) {
            Event.Stats last = null;
            for (Event e : events) {
                if (e instanceof Event.Stats s) {
                    last = s;
                }
            }
            if (last != null) {
                last.counters().forEach((k, v) -> out.merge(k, v, Long::sum));
            }
        }
        history.events().forEach(e -> {
            if (e instanceof Event.Send) {
                out.merge("produce.sent", 1L, Long::sum);
            } else if (e instanceof Event.Ack) {
                out.merge("produce.acked", 1L, Long::sum);
            } else if (e instanceof Event.SendFailed) {
                out.merge("produce.failed", 1L, Long::sum);
            } else if (e instanceof Event.Compaction c) {
                out.merge("compaction." + c.status().toLowerCase(java.util.Locale.ROOT), 1L, Long::sum);
            }
        });
        return out;
    }
}
