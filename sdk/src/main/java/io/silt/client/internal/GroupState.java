package io.silt.client.internal;

import io.silt.client.TopicPartition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A consumer group's state, folded from its log in order. Owned by one thread. The fold is the whole protocol: a
 * record counts or not depending only on what precedes it, so every reader agrees (RFC 0006).
 *
 * <p>Each partition has an assignee (from the newest generation) and a <em>holder</em>, the member that may be
 * reading it now. When a generation moves a partition from a member that is still in the group, the old owner
 * stays holder until it appends a {@link GroupRecord.Release}; the new owner starts only then, so a hand-over
 * never has two readers. A member that left or was judged dead gives up its partitions at once.
 */
final class GroupState {
    /** A committed position, with the one before it (for the consumption rate). */
    record Committed(long offset, long commitTimeMillis, long recordTimestamp, long previousOffset,
                     long previousCommitTimeMillis) {}

    /** Everything a snapshot stores. */
    record Image(GroupRecord.Generation generation, Map<TopicPartition, String> holders,
                 Map<TopicPartition, Committed> committed) {
        Image {
            holders = Map.copyOf(holders);
            committed = Map.copyOf(committed);
        }
    }

    static final GroupRecord.Generation EMPTY = new GroupRecord.Generation(0, Map.of(), Map.of());

    private long seq;
    private long snapshotSeq;
    private GroupRecord.Generation generation = EMPTY;
    private final Map<TopicPartition, String> holders = new HashMap<>();
    private final Map<TopicPartition, Committed> committed = new HashMap<>();

    /** The number of the last record folded in (0 for none). */
    long seq() {
        return seq;
    }

    long snapshotSeq() {
        return snapshotSeq;
    }

    GroupRecord.Generation generation() {
        return generation;
    }

    Map<TopicPartition, Committed> committed() {
        return Map.copyOf(committed);
    }

    Image image() {
        return new Image(generation, holders, committed);
    }

    /**
     * Folds record {@code seq} in.
     *
     * @return whether it counted: a generation newer than the current one, a release by the holder, or an offset
     *     commit from a member of the current generation (or a standalone commit while the group has no members,
     *     or an administrator's reset)
     */
    boolean apply(long recordSeq, GroupRecord record) {
        if (recordSeq != seq + 1 && !(record instanceof GroupRecord.Snapshot)) {
            throw new IllegalStateException("group record " + recordSeq + " folded after " + seq);
        }
        seq = recordSeq;
        if (record instanceof GroupRecord.Generation g) {
            return applyGeneration(g);
        }
        if (record instanceof GroupRecord.OffsetCommit c) {
            if (!counts(c)) {
                return false;
            }
            for (GroupRecord.Offset o : c.offsets()) {
                Committed prev = committed.get(o.partition());
                committed.put(o.partition(), prev == null || prev.offset() == o.offset()
                        ? new Committed(o.offset(), c.commitTimeMillis(), o.recordTimestamp(),
                                prev == null ? o.offset() : prev.previousOffset(),
                                prev == null ? c.commitTimeMillis() : prev.previousCommitTimeMillis())
                        : new Committed(o.offset(), c.commitTimeMillis(), o.recordTimestamp(), prev.offset(),
                                prev.commitTimeMillis()));
            }
            return true;
        }
        if (record instanceof GroupRecord.Release r) {
            boolean any = false;
            for (TopicPartition tp : r.partitions()) {
                if (r.member().equals(holders.get(tp))) {
                    String assignee = assigneeOf(tp);
                    if (assignee == null) {
                        holders.remove(tp);
                    } else {
                        holders.put(tp, assignee);
                    }
                    any = true;
                }
            }
            return any;
        }
        Image image = ((GroupRecord.Snapshot) record).image();
        generation = image.generation();
        holders.clear();
        holders.putAll(image.holders());
        committed.clear();
        committed.putAll(image.committed());
        snapshotSeq = recordSeq;
        return true;
    }

    /**
     * Whether an offset commit counts here: an administrator's reset always (it checked that nobody consumes); a
     * standalone consumer's only while the group has no members; a member's only if it is in the current
     * generation and still holds every partition it names. A zombie (dropped from the group) holds nothing, so
     * its commits never count; a member that has not yet released a partition taken by a newer generation may
     * still commit it, which is what makes commit-before-revoke work.
     */
    boolean counts(GroupRecord.OffsetCommit c) {
        if (c.generation() == GroupRecord.ADMIN) {
            return true;
        }
        if (c.generation() == GroupRecord.STANDALONE) {
            return generation.subscriptions().isEmpty();
        }
        if (!generation.subscriptions().containsKey(c.member())) {
            return false;
        }
        for (GroupRecord.Offset o : c.offsets()) {
            if (!c.member().equals(holders.get(o.partition()))) {
                return false;
            }
        }
        return true;
    }

    private boolean applyGeneration(GroupRecord.Generation g) {
        if (g.generation() <= generation.generation()) {
            return false;
        }
        generation = g;
        Map<TopicPartition, String> assignees = assignees();
        for (Map.Entry<TopicPartition, String> e : assignees.entrySet()) {
            String holder = holders.get(e.getKey());
            if (holder == null || holder.equals(e.getValue()) || !g.subscriptions().containsKey(holder)) {
                holders.put(e.getKey(), e.getValue());
            }
        }
        holders.entrySet().removeIf(e -> !assignees.containsKey(e.getKey())
                && !g.subscriptions().containsKey(e.getValue()));
        return true;
    }

    private Map<TopicPartition, String> assignees() {
        Map<TopicPartition, String> out = new HashMap<>();
        generation.assignment().forEach((m, tps) -> tps.forEach(tp -> out.put(tp, m)));
        return out;
    }

    /** The member the current generation assigns {@code tp} to, or {@code null}. */
    String assigneeOf(TopicPartition tp) {
        for (Map.Entry<String, List<TopicPartition>> e : generation.assignment().entrySet()) {
            if (e.getValue().contains(tp)) {
                return e.getKey();
            }
        }
        return null;
    }

    /** The member that may be reading {@code tp} now, or {@code null}. */
    String holderOf(TopicPartition tp) {
        return holders.get(tp);
    }

    /** The partitions assigned to {@code member} whose previous owner has let go: it may read them. */
    List<TopicPartition> readable(String member) {
        List<TopicPartition> out = new ArrayList<>();
        for (TopicPartition tp : generation.assignment().getOrDefault(member, List.of())) {
            if (member.equals(holders.get(tp))) {
                out.add(tp);
            }
        }
        return out;
    }

    /** The partitions {@code member} still holds but is no longer assigned: it must stop and release them. */
    List<TopicPartition> toRelease(String member) {
        List<TopicPartition> out = new ArrayList<>();
        holders.forEach((tp, m) -> {
            if (m.equals(member) && !Objects.equals(assigneeOf(tp), member)) {
                out.add(tp);
            }
        });
        return out;
    }

    /** Holders of every partition, sorted, for describing the group. */
    Map<TopicPartition, String> holders() {
        TreeMap<TopicPartition, String> out = new TreeMap<>(
                java.util.Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition));
        out.putAll(holders);
        return out;
    }
}
