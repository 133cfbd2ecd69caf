package io.silt.client.internal;

import io.silt.storage.ObjectData;
import io.silt.storage.ObjectStore;
import io.silt.storage.log.LogException;
import io.silt.storage.log.NumberedLog;
import io.silt.storage.log.internal.BinaryReader;
import io.silt.storage.log.internal.BinaryWriter;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * One queue partition's log and this process's view of it (RFC 0007): opened from the head hint and the newest
 * snapshot, brought up to date by losing races (the winner's record is read and applied), appended to with
 * create-only writes through {@link NumberedLog}. Callers synchronise on the instance.
 */
final class QueuePartition {
    private static final System.Logger LOG = System.getLogger(QueuePartition.class.getName());
    static final int SNAPSHOT_EVERY = 64;
    private static final byte[] HINT_MAGIC = "SLTH".getBytes(StandardCharsets.US_ASCII);

    /** Decides the next record from the current state; {@code null} when there is nothing to write. */
    interface Planner {
        QueueRecord plan(QueueState state);
    }

    /** A record this writer won, at {@code seq}. */
    record Won(long seq, QueueRecord record) {}

    final int partition;
    private final ObjectStore store;
    private final String base;
    private final NumberedLog log;
    private final LongSupplier nanoTime;
    private QueueState state;
    private long lostRaces;

    QueuePartition(ObjectStore store, String base, int partition, int unknownRetries, LongSupplier nanoTime) {
        this.store = store;
        this.base = base;
        this.partition = partition;
        this.log = new NumberedLog(store, base + "log/", unknownRetries);
        this.nanoTime = nanoTime;
    }

    /** {@code queues/{topic}/{incarnation}/{queue}/{partition:05d}/}. */
    static String base(String topic, String incarnation, String queue, int partition) {
        return "queues/" + topic + "/" + incarnation + "/" + queue + "/" + String.format("%05d", partition) + "/";
    }

    /** The state, loaded on first use: hint, snapshot, then the records after it. */
    QueueState state() {
        if (state == null) {
            state = load();
            catchUp();
        }
        return state;
    }

    /** Reads and applies records written since the view was last brought up to date (one GET if none). */
    void catchUp() {
        QueueState s = state();
        while (true) {
            Optional<ObjectData> next = log.read(s.seq + 1);
            if (next.isEmpty()) {
                return;
            }
            applyRecord(s.seq + 1, next.get());
        }
    }

    /**
     * Appends the record the planner makes, re-planning after every lost race.
     *
     * @return the record won, or empty if the planner found nothing to do
     * @throws io.silt.storage.log.CommitUnknownException if the outcome stayed unknown; the record may appear
     *     later, and then counts (a claim of messages nobody was given, which expires)
     */
    Optional<Won> append(Planner planner) {
        QueueState s = state();
        while (true) {
            QueueRecord r = planner.plan(s);
            if (r == null) {
                return Optional.empty();
            }
            long n = s.seq + 1;
            byte[] body = QueueRecord.encode(r);
            NumberedLog.Appended result = log.append(n, body);
            if (result instanceof NumberedLog.Appended.Won) {
                s.apply(n, r, nanoTime.getAsLong());
                maybeSnapshot(n);
                return Optional.of(new Won(n, r));
            }
            lostRaces++;
            applyRecord(n, ((NumberedLog.Appended.Lost) result).winner());
            catchUp(); // behind by more than one, likely: reading costs a GET a record, losing a PUT and a GET
        }
    }

    /** How many appends this process lost to another writer so far. */
    long lostRaces() {
        return lostRaces;
    }

    private void applyRecord(long n, ObjectData data) {
        state.apply(n, QueueRecord.decode(data.bytes(), data.key()), nanoTime.getAsLong());
    }

    private void maybeSnapshot(long n) {
        if (n % SNAPSHOT_EVERY != 0) {
            return;
        }
        try {
            store.put(NumberedLog.key(base + "snap/", n), QueueSnapshot.encode(state));
            store.put(base + "head", new BinaryWriter(24).bytes(HINT_MAGIC).u8(1).i64(n).finishWithCrc());
        } catch (RuntimeException e) {
            // Only an optimisation: the next opener reads a longer tail.
            LOG.log(Level.DEBUG, () -> "could not write queue snapshot " + n + " under " + base + ": " + e);
        }
    }

    private QueueState load() {
        long now = nanoTime.getAsLong();
        long snap = readHint();
        if (snap > 0) {
            try {
                Optional<ObjectData> data = store.get(NumberedLog.key(base + "snap/", snap));
                if (data.isPresent()) {
                    return QueueSnapshot.decode(data.get().bytes(), data.get().key(), now);
                }
            } catch (LogException e) {
                LOG.log(Level.WARNING, () -> "queue snapshot " + snap + " under " + base
                        + " is unreadable; replaying the log from the start: " + e.getMessage());
            }
        }
        return new QueueState();
    }

    private long readHint() {
        Optional<ObjectData> data = store.get(base + "head");
        if (data.isEmpty()) {
            return 0;
        }
        try {
            BinaryReader r = BinaryReader.withCrc(data.get().bytes(), data.get().key(), "queue head hint");
            r.expectMagic(HINT_MAGIC, "queue head hint");
            return r.u8("version") == 1 ? r.nonNegative("snapshot") : 0;
        } catch (LogException e) {
            return 0;
        }
    }
}
