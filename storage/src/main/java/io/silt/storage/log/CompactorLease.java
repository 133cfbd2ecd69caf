package io.silt.storage.log;

import io.silt.storage.ListPage;
import io.silt.storage.ObjectData;
import io.silt.storage.ObjectInfo;
import io.silt.storage.ObjectStore;
import io.silt.storage.ObjectStoreException;
import io.silt.storage.Sleeper;
import io.silt.storage.log.internal.BinaryReader;
import io.silt.storage.log.internal.BinaryWriter;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * The lease that makes one compactor at a time the compactor of a bucket (DESIGN rule 6, RFC 0008).
 *
 * <p>The lease is a numbered log {@code compactor/lease/{n:020d}} of small records, each created with a
 * create-only write. A compactor <em>acquires</em> by creating the record after the newest one; the number of that
 * record is its <em>epoch</em>. It <em>renews</em> by creating the next record itself, and <em>releases</em> by
 * creating a release record. Since every record is create-only on the next number, a renewal cannot be stolen: the
 * holder and a would-be successor race for the same number and exactly one wins. A newer record written by anyone
 * else fences the holder for good; the holder finds out in {@link #ensureHeld()}, which it calls before every
 * destructive step.
 *
 * <p>Another compactor takes over only when the newest record is a release, or when it has watched the same newest
 * record, on its <em>own</em> monotonic clock, for longer than the record's duration plus a safety margin. Its
 * watch starts when it first read the record, which is after the holder sent it; the holder counts its lease from
 * just before it sent the record. So the holder's lease always ends before anyone may take over, whatever the wall
 * clocks say. A process that keeps one instance across runs (a scheduler, a warm function) remembers what it
 * watched; a fresh one must watch for the whole duration, or skip the run ({@link Acquisition.Busy}).
 *
 * <p>Outcomes of the create-only writes may be unknown (DESIGN rule 4): each record carries a random write token, and
 * {@link NumberedLog#append} reads the key back and compares. An acquisition whose outcome stays unknown is reported
 * as {@link Acquisition.Unknown} (if the record lands after all, others wait for it to expire); a renewal whose
 * outcome stays unknown fences the holder.
 *
 * <p>Requests: acquiring costs about 1 GET (the head hint) + 2 HEAD + 1 GET (the newest record) + 2 PUT (record and
 * hint); a LIST only when the hint is missing or names a collected record. Renewing and releasing cost 1 PUT each;
 * release also LISTs the lease records once and deletes those older than the last {@value #KEEP_RECORDS} and one
 * hour. Thread-safe (its methods are synchronized).
 */
public final class CompactorLease {
    private static final System.Logger LOG = System.getLogger(CompactorLease.class.getName());

    /** The key prefix of the lease records. */
    public static final String PREFIX = "compactor/lease/";
    /** A lease record claiming longer than this is corrupt. */
    private static final long MAX_RECORDED_DURATION_MS = Duration.ofDays(365).toMillis();
    static final String HINT_KEY = "compactor/lease-head";
    /** How many of the newest lease records are never collected. */
    static final int KEEP_RECORDS = 8;
    /** Lease records younger than this are never collected (the GC trap of the lease log, RFC 0008). */
    static final Duration RECORD_GC_AGE = Duration.ofHours(1);
    static final byte[] MAGIC = "SLTL".getBytes(StandardCharsets.US_ASCII);
    static final int FORMAT_VERSION = 1;
    static final int ACQUIRE = 1;
    static final int RENEW = 2;
    static final int RELEASE = 3;
    private static final int ATTEMPTS = 4;

    /** The answer to an attempt to acquire the lease. */
    public sealed interface Acquisition {
        /** This compactor holds the lease; {@code epoch} identifies its tenure (pass it to the compactors). */
        record Acquired(long epoch) implements Acquisition {}

        /**
         * Someone else holds the lease (or was seen holding it too recently to judge).
         *
         * @param holder the holder's owner id
         * @param holderEpoch the holder's epoch
         * @param retryAfter when, on this process's clock, the lease expires unless renewed
         */
        record Busy(String holder, long holderEpoch, Duration retryAfter) implements Acquisition {}

        /** Whether the claim was written could not be learned; this compactor does not hold the lease. */
        record Unknown(String reason) implements Acquisition {}
    }

    /** A decoded lease record. */
    record LeaseRecord(long number, int kind, String owner, long epoch, long durationMillis, long writtenAtMillis,
                       long expiresAtMillis) {
        static LeaseRecord decode(ObjectData data, long number) {
            BinaryReader r = BinaryReader.withCrc(data.bytes(), data.key(), "compactor lease record");
            r.expectMagic(MAGIC, "compactor lease record");
            int version = r.u8("format version");
            if (version > FORMAT_VERSION) {
                throw new UnsupportedFormatException("compactor lease record", data.key(), version, FORMAT_VERSION);
            }
            r.bytes(16, "write token");
            int kind = r.u8("kind");
            if (kind < ACQUIRE || kind > RELEASE) {
                throw r.corrupt("unknown lease record kind " + kind);
            }
            String owner = r.string("owner");
            long epoch = r.nonNegative("epoch");
            long duration = r.nonNegative("duration ms");
            if (duration > MAX_RECORDED_DURATION_MS) { // readers turn it into nanoseconds: it must fit
                throw r.corrupt("lease duration of " + duration + " ms is over a year");
            }
            long written = r.i64("written at");
            long expires = r.i64("expires at");
            r.expectEnd();
            return new LeaseRecord(number, kind, owner, epoch, duration, written, expires);
        }
    }

    private final ObjectStore store;
    private final NumberedLog log;
    private final String ownerId;
    private final Duration duration;
    private final Duration safetyMargin;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final RandomGenerator random;

    // What this process watched: the newest record it read, and when (its clock) it first read it.
    private long observedNumber;
    private byte[] observedBytes;
    private long observedAtNanos;

    // While held.
    private long epoch;
    private long heldNumber;
    private long validFromNanos;
    private long lastConfirmedNanos;
    private boolean fenced;

    /**
     * @param ownerId who this compactor is, for logs and for whoever finds the lease busy (e.g. a function's
     *     request id or host name); not part of the protocol
     * @param duration how long a lease lasts unless renewed; the holder renews after half of it
     * @param safetyMargin added to the duration before another compactor takes over (covers clock-rate differences,
     *     pauses and request latency)
     * @param clock wall clock, written into the records for information only
     * @param nanoTime the monotonic clock that decides expiry
     * @param random source of write tokens
     */
    public CompactorLease(ObjectStore store, String ownerId, Duration duration, Duration safetyMargin, Clock clock,
                          LongSupplier nanoTime, RandomGenerator random) {
        this.store = Objects.requireNonNull(store, "store");
        this.ownerId = Objects.requireNonNull(ownerId, "ownerId");
        if (duration.isNegative() || duration.isZero() || safetyMargin.isNegative()) {
            throw new IllegalArgumentException("lease duration must be positive and the margin not negative");
        }
        this.duration = duration;
        this.safetyMargin = safetyMargin;
        this.clock = clock;
        this.nanoTime = nanoTime;
        this.random = random;
        this.log = new NumberedLog(store, PREFIX, 5);
    }

    public String ownerId() {
        return ownerId;
    }

    /** Whether this compactor holds the lease as far as it knows (not released, not found fenced). */
    public synchronized boolean isHeld() {
        return epoch > 0 && !fenced;
    }

    /** The epoch of the lease held. @throws IllegalStateException if it is not held */
    public synchronized long epoch() {
        if (!isHeld()) {
            throw new IllegalStateException("the compactor lease is not held by " + ownerId);
        }
        return epoch;
    }

    /** Tries once to acquire the lease; never waits. Returns at once with the current epoch if already held. */
    public synchronized Acquisition tryAcquire() {
        if (isHeld()) {
            return new Acquisition.Acquired(epoch);
        }
        epoch = 0;
        fenced = false;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            long viewNanos = nanoTime.getAsLong();
            Optional<Newest> found = findNewest();
            if (found == null) {
                continue; // the log moved under us; look again
            }
            long seen = nanoTime.getAsLong();
            long number = 1;
            if (found.isPresent()) {
                Newest newest = found.get();
                LeaseRecord r = LeaseRecord.decode(newest.data(), newest.number());
                observe(newest.number(), newest.data().bytes(), seen);
                if (r.kind() != RELEASE) {
                    long needed = Duration.ofMillis(r.durationMillis()).plus(safetyMargin).toNanos();
                    long watched = seen - observedAtNanos;
                    if (watched < needed) {
                        return new Acquisition.Busy(r.owner(), r.epoch(), Duration.ofNanos(needed - watched));
                    }
                    LOG.log(Level.INFO, () -> "compactor lease epoch " + r.epoch() + " of " + r.owner()
                            + " was not renewed for " + Duration.ofNanos(watched) + " on this clock; " + ownerId
                            + " takes over");
                }
                number = newest.number() + 1;
            }
            long sent = nanoTime.getAsLong();
            String key = log.key(number);
            NumberedLog.Appended result;
            try {
                result = log.append(number, encode(ACQUIRE, number));
            } catch (CommitUnknownException e) {
                LOG.log(Level.WARNING, () -> "could not learn whether " + ownerId + " claimed the compactor lease at "
                        + key + "; not running", e);
                return new Acquisition.Unknown("the claim of compactor lease record " + key
                        + " has an unknown outcome: " + e.getMessage());
            } catch (StaleLogViewException e) {
                continue; // the number was taken and collected: our view was stale
            }
            if (result instanceof NumberedLog.Appended.Lost lost) {
                LeaseRecord winner = LeaseRecord.decode(lost.winner(), number);
                observe(number, lost.winner().bytes(), nanoTime.getAsLong());
                if (winner.kind() == RELEASE) {
                    continue; // the holder released just now: try the next number
                }
                return new Acquisition.Busy(winner.owner(), winner.epoch(),
                        Duration.ofMillis(winner.durationMillis()).plus(safetyMargin));
            }
            long now = nanoTime.getAsLong();
            if (now - viewNanos > RECORD_GC_AGE.toNanos() / 2 && newestListed() != number) {
                // So slow that the number may have been collected and created again (the GC trap): our record is
                // not the newest, and it never counts.
                LOG.log(Level.WARNING, () -> "compactor lease record " + key + " was created after a "
                        + "long stall below newer records; ignoring it");
                continue;
            }
            hold(number, sent, now);
            writeHint(number);
            long acquired = number;
            LOG.log(Level.INFO, () -> ownerId + " acquired the compactor lease, epoch " + acquired);
            return new Acquisition.Acquired(number);
        }
        return new Acquisition.Unknown("the compactor lease log kept changing while " + ownerId + " read it");
    }

    /**
     * Acquires the lease, waiting (with {@code sleeper}) up to {@code maxWait} for a lease that nobody renews to
     * expire. Returns {@link Acquisition.Busy} at once if the holder's lease will not have expired by then, and as
     * soon as the holder is seen renewing (it is alive).
     */
    public Acquisition acquire(Duration maxWait, Sleeper sleeper) {
        long deadline = nanoTime.getAsLong() + maxWait.toNanos();
        Duration poll = duration.dividedBy(4);
        while (true) {
            Acquisition a = tryAcquire();
            if (!(a instanceof Acquisition.Busy busy)) {
                return a;
            }
            long left = deadline - nanoTime.getAsLong();
            if (busy.retryAfter().toNanos() > left) {
                return a;
            }
            Duration wait = busy.retryAfter().compareTo(poll) < 0 ? busy.retryAfter() : poll;
            try {
                sleeper.sleep(wait.isZero() ? Duration.ofMillis(1) : wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return a;
            }
        }
    }

    /**
     * Makes sure this compactor still holds the lease before a destructive step: renews it once half its duration
     * has passed, and otherwise, at most once per safety margin, checks with a HEAD that nobody wrote a newer
     * record.
     *
     * @throws CompactorFencedException if another compactor holds a newer epoch (for good: stop, write and delete
     *     nothing more), or a renewal could not be written before the lease expired
     * @throws IllegalStateException if the lease was never acquired or was released
     */
    public synchronized void ensureHeld() {
        requireHolding();
        long now = nanoTime.getAsLong();
        if (now - validFromNanos >= duration.toNanos() / 2) {
            renew();
            return;
        }
        if (now - lastConfirmedNanos >= Math.max(1, safetyMargin.toNanos())) {
            if (log.exists(heldNumber + 1)) {
                throw fence("a newer compactor lease record " + log.key(heldNumber + 1) + " exists", null);
            }
            lastConfirmedNanos = now;
        }
    }

    /**
     * Renews the lease by creating the next lease record.
     *
     * @throws CompactorFencedException if another compactor created that record first, or the outcome stayed
     *     unknown, or the store failed and the lease has expired meanwhile
     */
    public synchronized void renew() {
        requireHolding();
        long number = heldNumber + 1;
        long sent = nanoTime.getAsLong();
        NumberedLog.Appended result;
        try {
            result = log.append(number, encode(RENEW, number));
        } catch (CommitUnknownException | StaleLogViewException e) {
            throw fence("the renewal at " + log.key(number) + " has an unknown outcome", e);
        } catch (ObjectStoreException e) {
            if (nanoTime.getAsLong() - validFromNanos < duration.toNanos()) {
                LOG.log(Level.WARNING, () -> "could not renew the compactor lease (will try again): " + e);
                return; // nothing was written; the lease is still ours for a while
            }
            throw fence("could not renew the compactor lease before it expired", e);
        }
        if (result instanceof NumberedLog.Appended.Lost lost) {
            String by;
            try {
                by = LeaseRecord.decode(lost.winner(), number).owner();
            } catch (LogException e) {
                by = "an unreadable record";
            }
            throw fence(by + " wrote compactor lease record " + log.key(number) + " first", null);
        }
        heldNumber = number;
        validFromNanos = sent;
        lastConfirmedNanos = nanoTime.getAsLong();
        LOG.log(Level.DEBUG, () -> ownerId + " renewed the compactor lease, epoch " + epoch + ", record " + number);
    }

    /**
     * Releases the lease so the next run need not wait for it to expire: collects old lease records, then creates a
     * release record. Never throws for store trouble (the lease then simply expires). Does nothing if the lease is
     * not held.
     */
    public synchronized void release() {
        if (!isHeld()) {
            epoch = 0;
            return;
        }
        try {
            collectOldRecords();
            long number = heldNumber + 1;
            NumberedLog.Appended result = log.append(number, encode(RELEASE, number));
            if (result instanceof NumberedLog.Appended.Lost) {
                LOG.log(Level.INFO, () -> ownerId + " was fenced before it released the compactor lease");
            } else {
                LOG.log(Level.INFO, () -> ownerId + " released the compactor lease, epoch " + epoch);
            }
        } catch (LogException | ObjectStoreException e) {
            LOG.log(Level.WARNING, () -> ownerId + " could not release the compactor lease; it expires after "
                    + duration + ": " + e);
        } finally {
            epoch = 0;
            heldNumber = 0;
        }
    }

    // ------------------------------------------------------------------------------------------------ machinery

    private record Newest(long number, ObjectData data) {}

    /** The newest lease record (empty if there is none), or {@code null} if the log moved while it was read. */
    private Optional<Newest> findNewest() {
        long head = log.findHead(readHint());
        if (head > 0) {
            Optional<ObjectData> d = log.read(head);
            if (d.isPresent()) {
                return Optional.of(new Newest(head, d.get()));
            }
        }
        // No hint, a hint that names a collected record, or no record yet: one LIST (records are few).
        long listed = newestListed();
        if (listed == 0) {
            return Optional.empty();
        }
        head = log.findHead(listed);
        Optional<ObjectData> d = log.read(head);
        return d.isPresent() ? Optional.of(new Newest(head, d.get())) : null;
    }

    /** The highest lease record number a LIST finds (0 if none). */
    private long newestListed() {
        long max = 0;
        for (ObjectInfo o : store.listAll(PREFIX)) {
            max = Math.max(max, parseNumber(o.key()));
        }
        return max;
    }

    private static long parseNumber(String key) {
        String digits = key.substring(PREFIX.length());
        if (digits.length() != 20 || !digits.chars().allMatch(Character::isDigit)) {
            return 0;
        }
        return Long.parseLong(digits);
    }

    private long readHint() {
        try {
            Optional<ObjectData> d = store.get(HINT_KEY);
            if (d.isEmpty()) {
                return 0;
            }
            BinaryReader r = BinaryReader.withCrc(d.get().bytes(), HINT_KEY, "compactor lease hint");
            r.expectMagic(MAGIC, "compactor lease hint");
            return r.u8("version") == FORMAT_VERSION ? r.nonNegative("number") : 0;
        } catch (LogException e) {
            return 0; // never trusted: a bad hint only costs a LIST
        }
    }

    private void writeHint(long number) {
        try {
            store.put(HINT_KEY, new BinaryWriter(32).bytes(MAGIC).u8(FORMAT_VERSION).i64(number).finishWithCrc());
        } catch (ObjectStoreException e) {
            LOG.log(Level.DEBUG, () -> "could not write the compactor lease hint: " + e);
        }
    }

    /**
     * Deletes lease records that are neither among the newest {@value #KEEP_RECORDS} nor younger than
     * {@link #RECORD_GC_AGE}, oldest first and one by one, so the records that remain are always contiguous.
     */
    private void collectOldRecords() {
        ensureHeld();
        long cutoff = clock.millis() - RECORD_GC_AGE.toMillis();
        List<String> old = new ArrayList<>();
        String after = null;
        while (true) {
            ListPage page = store.list(PREFIX, after, ListPage.MAX_KEYS);
            for (ObjectInfo o : page.objects()) {
                long n = parseNumber(o.key());
                if (n > 0 && n <= heldNumber - KEEP_RECORDS && o.lastModified().toEpochMilli() < cutoff) {
                    old.add(o.key());
                }
            }
            if (!page.truncated()) {
                break;
            }
            after = page.nextStartAfter();
        }
        for (String key : old) { // ascending: what remains is a contiguous range
            store.delete(key);
        }
        if (!old.isEmpty()) {
            LOG.log(Level.DEBUG, () -> "collected " + old.size() + " old compactor lease records");
        }
    }

    private void observe(long number, byte[] bytes, long nowNanos) {
        if (number != observedNumber || !Arrays.equals(bytes, observedBytes)) {
            observedNumber = number;
            observedBytes = bytes.clone();
            observedAtNanos = nowNanos;
        }
    }

    private void hold(long number, long sentNanos, long nowNanos) {
        epoch = number;
        heldNumber = number;
        validFromNanos = sentNanos;
        lastConfirmedNanos = nowNanos;
        fenced = false;
    }

    private void requireHolding() {
        if (fenced) {
            throw new CompactorFencedException(ownerId + " was fenced: a newer compactor lease epoch exists");
        }
        if (epoch == 0) {
            throw new IllegalStateException("the compactor lease is not held by " + ownerId);
        }
    }

    private CompactorFencedException fence(String why, Throwable cause) {
        fenced = true;
        String message = ownerId + " lost the compactor lease (epoch " + epoch + "): " + why;
        LOG.log(Level.WARNING, message);
        return new CompactorFencedException(message, cause);
    }

    private byte[] encode(int kind, long number) {
        byte[] token = new byte[16];
        random.nextBytes(token);
        long now = clock.millis();
        long leaseEpoch = kind == ACQUIRE ? number : epoch;
        long durationMillis = kind == RELEASE ? 0 : duration.toMillis();
        return new BinaryWriter(96).bytes(MAGIC).u8(FORMAT_VERSION).bytes(token).u8(kind).string(ownerId)
                .i64(leaseEpoch).i64(durationMillis).i64(now).i64(kind == RELEASE ? 0 : now + durationMillis)
                .finishWithCrc();
    }
}
