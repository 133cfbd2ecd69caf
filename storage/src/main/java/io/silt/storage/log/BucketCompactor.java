package io.silt.storage.log;

import io.silt.storage.CountingObjectStore;
import io.silt.storage.ListPage;
import io.silt.storage.ObjectData;
import io.silt.storage.ObjectInfo;
import io.silt.storage.ObjectStore;
import io.silt.storage.ObjectStoreException;
import io.silt.storage.RequestCounts;
import io.silt.storage.Sleeper;
import io.silt.storage.log.internal.BinaryReader;
import io.silt.storage.log.internal.BinaryWriter;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * One compactor of a whole bucket: a bounded, resumable run over every partition of every topic, and over the data
 * of deleted topics, under the {@linkplain CompactorLease compactor lease}. What a scheduled function or a
 * scheduler thread calls; RFC 0008.
 *
 * <p>{@link #runOnce()} acquires the lease (or returns {@link BucketCompactionReport.Status#BUSY} at once: a run
 * that outlasts its interval is not disturbed by the next one), lists the topics, and starts where the previous run
 * stopped (a small cursor object, {@value #CURSOR_KEY}), so big buckets are covered round-robin. For each partition
 * it runs a {@link PartitionCompactor} with the lease epoch, checking the lease before each partition and before
 * every write of a checkpoint and every deletion. Incarnations of deleted topics whose deletion is older than the
 * grace period have their objects deleted. It stops starting new work once the time budget is nearly spent, saves
 * the cursor and releases the lease. A crash anywhere leaves the bucket valid: every step of compaction is
 * repeatable and the next run simply continues.
 *
 * <p>Keep one instance per process and call {@link #runOnce()} from the scheduler: the instance remembers when it
 * first saw the current lease record, so it can take over from a crashed compactor after the lease duration
 * without waiting inside a run. One run at a time per instance ({@link #runOnce()} is synchronized).
 */
public final class BucketCompactor {
    private static final System.Logger LOG = System.getLogger(BucketCompactor.class.getName());

    /** Where the next run starts (a plain PUT by the lease holder; a lost or stale cursor costs only fairness). */
    public static final String CURSOR_KEY = "compactor/cursor";
    /** Markers of deleted-topic incarnations whose data has been collected completely. */
    static final String COLLECTED_PREFIX = "compactor/collected/";
    static final byte[] CURSOR_MAGIC = "SLTR".getBytes(StandardCharsets.US_ASCII);
    static final int CURSOR_VERSION = 1;
    /** The cursor is saved at least this often during a run, so a crash loses little progress. */
    static final Duration CURSOR_EVERY = Duration.ofSeconds(30);

    private final ObjectStore store;
    private final CountingObjectStore counted;
    private final LogConfig config;
    private final CompactionRunPolicy policy;
    private final String ownerId;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final RandomGenerator random;
    private final Sleeper sleeper;
    private final CompactorLease lease;
    private final Topics topics;
    /** Topic versions are create-only and never rewritten: each is read once per instance. */
    private final Map<String, Topics.Version> versions = new ConcurrentHashMap<>();

    /**
     * @param store the bucket (normally behind a {@link io.silt.storage.RetryingObjectStore})
     * @param config the writers' log settings (the grace period is the larger of theirs and the policy's)
     * @param policy budget, lease and per-partition policy
     * @param ownerId who this compactor is, for logs and for runs that find the lease busy
     * @param clock wall clock (timestamps in checkpoints and lease records, the age of objects)
     * @param nanoTime monotonic clock (budget, lease expiry)
     * @param random write tokens and merged-segment names
     * @param sleeper how to wait for a lease to expire ({@link CompactionRunPolicy#leaseWait()})
     */
    public BucketCompactor(ObjectStore store, LogConfig config, CompactionRunPolicy policy, String ownerId,
                           Clock clock, LongSupplier nanoTime, RandomGenerator random, Sleeper sleeper) {
        this.store = Objects.requireNonNull(store, "store");
        this.counted = CountingObjectStore.wrap(store);
        Duration grace = config.gcGrace().compareTo(policy.grace()) >= 0 ? config.gcGrace() : policy.grace();
        this.config = config.withGcGrace(grace);
        this.policy = policy;
        this.ownerId = ownerId;
        this.clock = clock;
        this.nanoTime = nanoTime;
        this.random = random;
        this.sleeper = sleeper;
        this.lease = new CompactorLease(counted, ownerId, policy.leaseDuration(), policy.safetyMargin(), clock,
                nanoTime, random);
        this.topics = new Topics(counted, clock, random);
    }

    /** A compactor with the default settings and the system clocks. */
    public static BucketCompactor create(ObjectStore store, String ownerId) {
        return new BucketCompactor(store, LogConfig.DEFAULTS, CompactionRunPolicy.DEFAULTS, ownerId,
                Clock.systemUTC(), System::nanoTime, new SplittableRandom(), Sleeper.SYSTEM);
    }

    /** The lease this compactor uses (to inspect it; {@link #runOnce()} acquires and releases it). */
    public CompactorLease lease() {
        return lease;
    }

    /**
     * One run: acquire the lease, compact partitions from the cursor on until done or the budget is nearly spent,
     * collect deleted topics, save the cursor, release the lease. Never throws for trouble with one partition (it is
     * counted and tried again next run); store errors while acquiring the lease or listing topics propagate.
     */
    public synchronized BucketCompactionReport runOnce() {
        long started = nanoTime.getAsLong();
        RequestCounts before = counted.counts();
        CompactorLease.Acquisition acquisition = lease.acquire(policy.leaseWait(), sleeper);
        Tally t = new Tally();
        if (acquisition instanceof CompactorLease.Acquisition.Busy busy) {
            t.status = BucketCompactionReport.Status.BUSY;
            t.holder = busy.holder() + " (epoch " + busy.holderEpoch() + ", expires in at most "
                    + busy.retryAfter().toSeconds() + " s)";
            return report(t, 0, started, before);
        }
        if (acquisition instanceof CompactorLease.Acquisition.Unknown) {
            t.status = BucketCompactionReport.Status.LEASE_UNKNOWN;
            return report(t, 0, started, before);
        }
        long epoch = ((CompactorLease.Acquisition.Acquired) acquisition).epoch();
        try {
            run(t, epoch, started);
        } catch (CompactorFencedException e) {
            t.status = BucketCompactionReport.Status.FENCED;
        } finally {
            lease.release(); // does nothing if fenced
        }
        return report(t, epoch, started, before);
    }

    private void run(Tally t, long epoch, long started) {
        List<Item> items = plan();
        String cursor = readCursor();
        List<Item> rotated = new ArrayList<>(items.size());
        items.stream().filter(i -> i.key().compareTo(cursor) >= 0).forEach(rotated::add);
        items.stream().filter(i -> i.key().compareTo(cursor) < 0).forEach(rotated::add);
        long budget = policy.budget().toNanos();
        long reserve = budget / 10;
        long longest = 0;
        long lastCursorWrite = nanoTime.getAsLong();
        int next = 0;
        try {
            for (; next < rotated.size(); next++) {
                long elapsed = nanoTime.getAsLong() - started;
                if (elapsed + longest + reserve > budget) {
                    t.status = BucketCompactionReport.Status.BUDGET_EXHAUSTED;
                    break;
                }
                lease.ensureHeld();
                long t0 = nanoTime.getAsLong();
                boolean finished = rotated.get(next).run(t, epoch, started);
                longest = Math.max(longest, nanoTime.getAsLong() - t0);
                if (!finished) { // a deleted topic with more to delete than the budget allowed
                    t.status = BucketCompactionReport.Status.BUDGET_EXHAUSTED;
                    break;
                }
                if (nanoTime.getAsLong() - lastCursorWrite >= CURSOR_EVERY.toNanos() && next + 1 < rotated.size()) {
                    writeCursor(rotated.get(next + 1).key());
                    lastCursorWrite = nanoTime.getAsLong();
                }
            }
        } finally {
            t.skipped = rotated.size() - next;
        }
        if (!rotated.isEmpty()) {
            String resumeAt = next < rotated.size() ? rotated.get(next).key() : rotated.get(0).key();
            if (!resumeAt.equals(cursor)) {
                writeCursor(resumeAt);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ work items

    /** A unit of work; items are ordered by key, which is also what the cursor stores. */
    private interface Item {
        String key();

        /** Does the work; false if it stopped for the budget with work left. */
        boolean run(Tally t, long epoch, long started);
    }

    /** One partition of a live topic. */
    private final class PartitionItem implements Item {
        private final TopicDescription topic;
        private final int partition;

        PartitionItem(TopicDescription topic, int partition) {
            this.topic = topic;
            this.partition = partition;
        }

        @Override
        public String key() {
            return "p/" + topic.name() + "/" + String.format("%05d", partition);
        }

        @Override
        public boolean run(Tally t, long epoch, long started) {
            t.visited++;
            PartitionCompactor compactor = new PartitionCompactor(counted, config, policy.partition(), clock,
                    nanoTime, random, epoch);
            try {
                t.add(compactor.compact(topic.partitionPrefix(partition), topic.config(), lease::ensureHeld));
            } catch (CompactorFencedException e) {
                throw e;
            } catch (LogException | ObjectStoreException e) {
                t.failed++;
                LOG.log(Level.WARNING, () -> "compaction of " + topic.name() + "/" + partition + " failed; it is "
                        + "tried again next run: " + e);
            }
            return true;
        }
    }

    /** The data of an incarnation of a topic that was deleted. */
    private final class RetiredItem implements Item {
        private final String topic;
        private final String incarnation;
        private final long deletedAtMillis;

        RetiredItem(String topic, String incarnation, long deletedAtMillis) {
            this.topic = topic;
            this.incarnation = incarnation;
            this.deletedAtMillis = deletedAtMillis;
        }

        @Override
        public String key() {
            return "d/" + topic + "/" + incarnation;
        }

        @Override
        public boolean run(Tally t, long epoch, long started) {
            long grace = config.gcGrace().toMillis();
            long now = clock.millis();
            if (now < deletedAtMillis + grace) {
                return true; // readers and writers with a cached description may still use it
            }
            String marker = COLLECTED_PREFIX + topic + "/" + incarnation;
            if (counted.head(marker).isPresent()) {
                return true;
            }
            String prefix = "data/" + topic + "/" + incarnation + "/";
            while (true) {
                ListPage page = counted.list(prefix, null, ListPage.MAX_KEYS);
                if (page.objects().isEmpty()) {
                    // Written only once a whole further grace period has passed, so a writer that was still
                    // appending with a stale description when the first pass ran is collected too.
                    if (now >= deletedAtMillis + 2 * grace) {
                        lease.ensureHeld();
                        counted.put(marker, new byte[0]);
                    }
                    return true;
                }
                List<String> keys = new ArrayList<>();
                long bytes = 0;
                for (ObjectInfo o : page.objects()) {
                    keys.add(o.key());
                    bytes += o.size();
                }
                lease.ensureHeld();
                counted.deleteAll(keys);
                t.objectsDeleted += keys.size();
                t.deletedTopicObjects += keys.size();
                t.bytesDeleted += bytes;
                long elapsed = nanoTime.getAsLong() - started;
                if (elapsed + policy.budget().toNanos() / 10 > policy.budget().toNanos()) {
                    return false;
                }
            }
        }
    }

    /**
     * The work of this run, ordered by key: one item per partition of each live topic and one per incarnation of a
     * deleted topic. Costs one LIST of {@code topics/} per 1000 topic versions, plus a GET of each topic version
     * this instance has not read before.
     */
    private List<Item> plan() {
        TreeMap<String, TreeSet<Long>> byName = new TreeMap<>();
        for (ObjectInfo o : counted.listAll("topics/")) {
            String rest = o.key().substring("topics/".length());
            int slash = rest.indexOf('/');
            if (slash <= 0 || !rest.startsWith("meta/", slash + 1)) {
                continue;
            }
            String digits = rest.substring(slash + 1 + "meta/".length());
            if (digits.length() != 20 || !digits.chars().allMatch(Character::isDigit)) {
                continue;
            }
            byName.computeIfAbsent(rest.substring(0, slash), n -> new TreeSet<>()).add(Long.parseLong(digits));
        }
        List<Item> items = new ArrayList<>();
        for (Map.Entry<String, TreeSet<Long>> e : byName.entrySet()) {
            String name = e.getKey();
            try {
                Optional<Topics.Version> newest = version(name, e.getValue().last());
                if (newest.isEmpty()) {
                    continue;
                }
                if (newest.get().live()) {
                    TopicDescription d = newest.get().description();
                    for (int p = 0; p < d.config().partitions(); p++) {
                        items.add(new PartitionItem(d, p));
                    }
                }
                if (e.getValue().size() > 1 || !newest.get().live()) {
                    Map<String, Long> deletedAt = new TreeMap<>();
                    for (long n : e.getValue()) {
                        version(name, n).filter(v -> !v.live())
                                .ifPresent(v -> deletedAt.merge(v.description().incarnation(), v.writtenAtMillis(),
                                        Math::min));
                    }
                    if (newest.get().live()) {
                        deletedAt.remove(newest.get().description().incarnation());
                    }
                    deletedAt.forEach((inc, at) -> items.add(new RetiredItem(name, inc, at)));
                }
            } catch (LogException | ObjectStoreException ex) {
                LOG.log(Level.WARNING, () -> "cannot read topic '" + name + "'; skipping it this run: " + ex);
            }
        }
        items.sort((a, b) -> a.key().compareTo(b.key()));
        return items;
    }

    private Optional<Topics.Version> version(String name, long seq) {
        String key = NumberedLog.key(Topics.versionPrefix(name), seq);
        Topics.Version cached = versions.get(key);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<Topics.Version> v = topics.readVersion(name, seq);
        v.ifPresent(x -> versions.put(key, x));
        return v;
    }

    // ------------------------------------------------------------------------------------------------ cursor

    private String readCursor() {
        try {
            Optional<ObjectData> d = counted.get(CURSOR_KEY);
            if (d.isEmpty()) {
                return "";
            }
            BinaryReader r = BinaryReader.withCrc(d.get().bytes(), CURSOR_KEY, "compactor cursor");
            r.expectMagic(CURSOR_MAGIC, "compactor cursor");
            return r.u8("version") == CURSOR_VERSION ? r.string("next") : "";
        } catch (LogException e) {
            return ""; // only fairness depends on it: start at the beginning
        }
    }

    private void writeCursor(String next) {
        lease.ensureHeld();
        try {
            counted.put(CURSOR_KEY, new BinaryWriter(64).bytes(CURSOR_MAGIC).u8(CURSOR_VERSION).string(next)
                    .i64(clock.millis()).finishWithCrc());
        } catch (ObjectStoreException e) {
            LOG.log(Level.WARNING, () -> "could not save the compactor cursor: " + e);
        }
    }

    // ------------------------------------------------------------------------------------------------ report

    private static final class Tally {
        BucketCompactionReport.Status status = BucketCompactionReport.Status.COMPLETED;
        String holder = "";
        int visited;
        int failed;
        int skipped;
        int checkpoints;
        int entriesMerged;
        int segmentsWritten;
        long bytesRewritten;
        long recordsExpired;
        long bytesExpired;
        int objectsDeleted;
        long bytesDeleted;
        int deletedTopicObjects;

        void add(CompactionReport r) {
            if (r.outcome() == CompactionReport.Outcome.CHECKPOINTED) {
                checkpoints++;
            }
            entriesMerged += r.entriesMerged();
            segmentsWritten += r.segmentsWritten();
            bytesRewritten += r.bytesRewritten();
            recordsExpired += r.recordsExpired();
            bytesExpired += r.bytesExpired();
            objectsDeleted += r.objectsDeleted();
            bytesDeleted += r.bytesDeleted();
        }
    }

    private BucketCompactionReport report(Tally t, long epoch, long started, RequestCounts before) {
        BucketCompactionReport r = new BucketCompactionReport(store.describe(), t.status, ownerId, epoch, t.holder,
                t.visited, t.failed, t.skipped, t.checkpoints, t.entriesMerged, t.segmentsWritten, t.bytesRewritten,
                t.recordsExpired, t.bytesExpired, t.objectsDeleted, t.bytesDeleted, t.deletedTopicObjects,
                counted.counts().minus(before), Duration.ofNanos(nanoTime.getAsLong() - started));
        LOG.log(t.status == BucketCompactionReport.Status.FENCED ? Level.WARNING : Level.INFO, r::summary);
        return r;
    }
}
