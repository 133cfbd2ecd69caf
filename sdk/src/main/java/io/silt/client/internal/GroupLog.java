package io.silt.client.internal;

import io.silt.storage.ObjectData;
import io.silt.storage.ObjectStore;
import io.silt.storage.log.HeadHint;
import io.silt.storage.log.NumberedLog;
import io.silt.storage.log.TopicNames;
import java.lang.System.Logger.Level;
import java.util.Optional;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * A consumer group's log in the bucket: {@code groups/{group}/log/{n:020d}}, create-only ({@link NumberedLog}),
 * with a snapshot record every {@link #SNAPSHOT_EVERY} records and a head hint at {@code groups/{group}/head}
 * naming the newest snapshot, so loading a group costs a few GETs however long its history (RFC 0006).
 */
final class GroupLog {
    private static final System.Logger LOG = System.getLogger(GroupLog.class.getName());
    static final int SNAPSHOT_EVERY = 32;

    /** Where an appended record landed and whether it counted there. */
    record Appended(long seq, boolean counted) {}

    private final ObjectStore store;
    private final String group;
    private final String prefix;
    private final NumberedLog log;
    private final RandomGenerator random;

    GroupLog(ObjectStore store, String group, RandomGenerator random) {
        this.store = store;
        this.group = TopicNames.validate("group", group);
        this.prefix = prefix(group);
        this.log = new NumberedLog(store, prefix + "log/", 5);
        this.random = random;
    }

    static String prefix(String group) {
        return "groups/" + group + "/";
    }

    String group() {
        return group;
    }

    String membersPrefix() {
        return prefix + "members/";
    }

    /** The group's state now: from the newest snapshot the hint names, then forward. */
    GroupState load() {
        GroupState state = new GroupState();
        HeadHint hint = HeadHint.read(store, prefix);
        if (hint.checkpoint() > 0) {
            Optional<ObjectData> snap = log.read(hint.checkpoint());
            if (snap.isPresent()) {
                GroupRecord r = GroupRecord.decode(snap.get().bytes(), snap.get().key());
                if (r instanceof GroupRecord.Snapshot) {
                    state.apply(hint.checkpoint(), r);
                }
            }
        }
        catchUp(state);
        return state;
    }

    /** Folds in every record after {@code state.seq()}; one GET (a 404) when there is none. */
    boolean catchUp(GroupState state) {
        boolean any = false;
        while (true) {
            Optional<ObjectData> next = log.read(state.seq() + 1);
            if (next.isEmpty()) {
                return any;
            }
            state.apply(state.seq() + 1, GroupRecord.decode(next.get().bytes(), next.get().key()));
            any = true;
        }
    }

    /**
     * Appends the record {@code make} builds from the state, at the next number; on losing the race folds the
     * winner in and asks {@code make} again (it may now return {@code null}: nothing to append, or throw).
     *
     * @return where it landed, or empty if {@code make} gave up
     */
    Optional<Appended> append(GroupState state, Function<GroupState, GroupRecord> make) {
        while (true) {
            GroupRecord record = make.apply(state);
            if (record == null) {
                return Optional.empty();
            }
            long seq = state.seq() + 1;
            NumberedLog.Appended result = log.append(seq, GroupRecord.encode(record, token()));
            if (result instanceof NumberedLog.Appended.Won) {
                boolean counted = state.apply(seq, record);
                maybeSnapshot(state);
                return Optional.of(new Appended(seq, counted));
            }
            ObjectData winner = ((NumberedLog.Appended.Lost) result).winner();
            state.apply(seq, GroupRecord.decode(winner.bytes(), winner.key()));
        }
    }

    /** Every {@link #SNAPSHOT_EVERY} records, the writer that just won appends a snapshot and moves the hint. */
    private void maybeSnapshot(GroupState state) {
        if (state.seq() - state.snapshotSeq() < SNAPSHOT_EVERY) {
            return;
        }
        try {
            GroupRecord snap = new GroupRecord.Snapshot(state.image());
            long seq = state.seq() + 1;
            NumberedLog.Appended result = log.append(seq, GroupRecord.encode(snap, token()));
            if (result instanceof NumberedLog.Appended.Won) {
                state.apply(seq, snap);
                new HeadHint(seq, seq).write(store, prefix);
            }
            // Lost: someone else appended; the next writer snapshots. Nothing to undo.
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, () -> "could not snapshot group '" + group + "' (will retry later): " + e);
        }
    }

    private byte[] token() {
        byte[] t = new byte[16];
        synchronized (random) {
            random.nextBytes(t);
        }
        return t;
    }
}
