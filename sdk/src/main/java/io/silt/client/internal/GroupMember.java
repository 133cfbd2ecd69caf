package io.silt.client.internal;

import io.silt.client.CommitFailedException;
import io.silt.client.ConsumerConfig;
import io.silt.client.SiltException;
import io.silt.client.TopicPartition;
import io.silt.client.UnknownTopicException;
import io.silt.storage.ObjectStore;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * One consumer's part in a group (RFC 0006): its heartbeat object, its view of its successor's liveness, the
 * group state folded from the log, and the records it appends (generations, offset commits, releases).
 *
 * <p>Thread-safe: {@link #maintain} runs on the consumer's background thread ({@link GroupHeartbeat}) and on the
 * user's thread in {@code poll}, commits and releases on the user's thread. Every method holds this object's monitor
 * while it reads or changes the group state, so a heartbeat or check waits for a commit in progress and the other
 * way round; the state itself never leaves this class, callers get copies ({@link #view}). Rebalance listeners are
 * never called with the monitor held (the consumer calls them from {@code poll} between these methods).
 */
final class GroupMember {
    private static final System.Logger LOG = System.getLogger(GroupMember.class.getName());
    /** While a partition it was given is still held by its previous owner, look for the release this often. */
    private static final long HANDOFF_PROBE_NANOS = 500_000_000L;

    private final Transport transport;
    private final ObjectStore store;
    private final GroupLog log;
    private final String memberId;
    private final ConsumerConfig config;
    private final LongSupplier nanoTime;
    private final MemberLiveness liveness;
    private GroupState state;
    private List<String> topics = List.of();
    private boolean joined;
    private long generationInUse = GroupRecord.STANDALONE;
    private long beats;
    private final long checkNanos;
    private long nextHeartbeatNanos;
    private long nextCheckNanos;
    private long nextLogProbeNanos;
    /** Whether this member was in the newest generation it saw; {@link #drops} counts the times it then was not. */
    private boolean inGroup;
    private long drops;

    /**
     * What the consumer needs to reconcile its partitions, copied under the monitor.
     *
     * @param seq the number of the last group record folded in
     * @param drops how many times this member found itself dropped from the group (judged dead, or it left after
     *     the max poll interval): when it changes, every partition read before is lost, whatever the state says now
     * @param readable the partitions assigned to this member that it holds: it may read them
     * @param toRelease the partitions it holds but is no longer assigned: it must stop reading and release them
     */
    record View(long seq, long generation, long drops, List<TopicPartition> readable,
                List<TopicPartition> toRelease) {}

    GroupMember(Transport transport, GroupLog log, String memberId, ConsumerConfig config) {
        this.transport = transport;
        this.store = transport.stateStore();
        this.log = log;
        this.memberId = memberId;
        this.config = config;
        this.nanoTime = transport.nanoTime();
        this.checkNanos = config.livenessCheckInterval().toNanos();
        this.liveness = new MemberLiveness(log.membersPrefix(), config.sessionTimeout().toNanos(), checkNanos);
    }

    String memberId() {
        return memberId;
    }

    String group() {
        return log.group();
    }

    /** The group state as last read (loaded on first use); only to be used with this object's monitor held. */
    private GroupState state() {
        if (state == null) {
            state = log.load();
        }
        return state;
    }

    /** Reads records appended since the state was last read (one GET when there are none). */
    synchronized boolean refresh() {
        boolean changed = log.catchUp(state());
        observe(state);
        return changed;
    }

    /** A copy of what the consumer reconciles against. */
    synchronized View view() {
        GroupState s = state();
        return new View(s.seq(), s.generation().generation(), drops, s.readable(memberId), s.toRelease(memberId));
    }

    /** The number of the last group record folded in. */
    synchronized long seq() {
        return state().seq();
    }

    /** The group's committed offset of {@code tp} as last read, if any. */
    synchronized Optional<Long> committed(TopicPartition tp) {
        GroupState.Committed c = state().committed().get(tp);
        return c == null ? Optional.empty() : Optional.of(c.offset());
    }

    /** Notes whether this member is in the newest generation; counts the times it fell out (see {@link View}). */
    private void observe(GroupState s) {
        boolean in = s.generation().subscriptions().containsKey(memberId);
        if (inGroup && !in) {
            drops++;
        }
        inGroup = in;
    }

    /** Takes part in the group with these topics from the next {@link #maintain}. */
    synchronized void join(List<String> subscribedTopics) {
        this.topics = List.copyOf(subscribedTopics.stream().sorted().distinct().toList());
        this.joined = true;
        this.nextHeartbeatNanos = nanoTime.getAsLong();
        this.nextCheckNanos = nextHeartbeatNanos;
    }

    synchronized boolean joined() {
        return joined;
    }

    /** When {@link #maintain} next has work to do. */
    synchronized long nextDueNanos() {
        return Math.min(Math.min(nextHeartbeatNanos, nextCheckNanos),
                waitingForHandoff() ? nextLogProbeNanos : Long.MAX_VALUE);
    }

    /**
     * Keeps this member in the group (RFC 0006), in the steady state with no LIST:
     * <ul>
     *   <li>every {@code heartbeatInterval}: PUTs its heartbeat object;</li>
     *   <li>every {@link ConsumerConfig#livenessCheckInterval()} (a third of the heartbeat interval), or earlier when
     *       the watched member's session runs out: reads the group log (one GET, a 404 when nothing is new: this is
     *       how it learns of joiners, leavers and new generations), looks at its successor's heartbeat (one
     *       conditional GET, a 304 while it changes nothing) and proposes a new generation if this member is not in
     *       the current one or its successor is dead;</li>
     *   <li>while waiting for a hand-over, reads the group log every 500 ms.</li>
     * </ul>
     *
     * @return whether the group state changed
     */
    synchronized boolean maintain() {
        if (!joined) {
            return false;
        }
        long now = nanoTime.getAsLong();
        long seqBefore = state().seq();
        if (now >= nextHeartbeatNanos) {
            nextHeartbeatNanos = now + config.heartbeatInterval().toNanos();
            heartbeat();
        }
        if (now >= nextCheckNanos) {
            nextCheckNanos = now + checkNanos; // also if a request below fails: no retry before the next check
            nextLogProbeNanos = now + HANDOFF_PROBE_NANOS;
            refresh();
            String watched = successor();
            liveness.retain(watched == null ? Set.of() : Set.of(watched));
            if (watched != null) {
                liveness.look(store, watched, nanoTime.getAsLong());
            }
            long judged = nanoTime.getAsLong();
            proposeIfNeeded(judged);
            long deadline = watched == null ? Long.MAX_VALUE : liveness.deadlineNanos(watched);
            if (deadline > judged) {
                nextCheckNanos = Math.min(nextCheckNanos, deadline); // judge a session when it runs out
            }
        } else if (waitingForHandoff() && now >= nextLogProbeNanos) {
            nextLogProbeNanos = now + HANDOFF_PROBE_NANOS;
            refresh();
        }
        return state.seq() != seqBefore;
    }

    /**
     * The member this one watches: the next member id after its own in the current generation, in sorted order,
     * wrapping around; {@code null} if this member is not in the generation or is alone. Every member is watched by
     * exactly one other, so a member's liveness costs the group one conditional GET per check interval whatever the
     * group's size.
     */
    synchronized String successor() {
        List<String> members = state().generation().members();
        int i = members.indexOf(memberId);
        if (i < 0 || members.size() < 2) {
            return null;
        }
        return members.get((i + 1) % members.size());
    }

    private boolean waitingForHandoff() {
        if (state == null || !joined) {
            return false;
        }
        List<TopicPartition> assigned = state.generation().assignment().getOrDefault(memberId, List.of());
        return assigned.size() != state.readable(memberId).size();
    }

    private void heartbeat() {
        beats++;
        byte[] body = (memberId + " " + beats + " " + transport.clock().millis()).getBytes(StandardCharsets.UTF_8);
        store.put(log.membersPrefix() + memberId, body,
                Map.of("session-ms", Long.toString(config.sessionTimeout().toMillis())));
    }

    private void proposeIfNeeded(long now) {
        log.append(state, s -> {
            observe(s); // before it adds itself back: a member dropped and rejoining counts the drop
            GroupRecord.Generation g = s.generation();
            Map<String, List<String>> subs = new TreeMap<>(g.subscriptions());
            boolean change = false;
            if (!topics.equals(subs.get(memberId))) {
                subs.put(memberId, topics);
                change = true;
            }
            for (String m : g.members()) {
                if (!m.equals(memberId) && liveness.isDead(m, now)) {
                    LOG.log(Level.INFO, () -> "group '" + group() + "': member " + m + " wrote no new heartbeat "
                            + "within the session timeout (" + config.sessionTimeout() + ") or its heartbeat is "
                            + "gone; proposing a generation without it");
                    subs.remove(m);
                    change = true;
                }
            }
            return change ? next(g, subs) : null;
        }).ifPresent(a -> LOG.log(Level.DEBUG, () -> "group '" + group() + "': " + memberId + " wrote generation "
                + state.generation().generation() + " at " + a.seq()));
        observe(state);
    }

    private GroupRecord.Generation next(GroupRecord.Generation g, Map<String, List<String>> subs) {
        Map<String, Integer> counts = new TreeMap<>();
        Set<String> wanted = new HashSet<>();
        subs.values().forEach(wanted::addAll);
        for (String t : wanted) {
            try {
                counts.put(t, transport.topic(t).partitions());
            } catch (UnknownTopicException e) {
                LOG.log(Level.WARNING, () -> "group '" + group() + "' subscribes to topic '" + t
                        + "', which does not exist; it gets no partitions until it is created and the group "
                        + "rebalances");
            }
        }
        return new GroupRecord.Generation(g.generation() + 1, subs, StickyAssignor.assign(subs, counts,
                g.assignment()));
    }

    /** Commits from now on are made as a member (after joining) or as a standalone consumer. */
    synchronized void useCurrentGeneration() {
        GroupRecord.Generation g = state().generation();
        generationInUse = !joined ? GroupRecord.STANDALONE
                : g.subscriptions().containsKey(memberId) ? g.generation() : Long.MIN_VALUE;
    }

    /**
     * Appends an offset commit. It counts only if, at its position in the log, this member is in the current
     * generation and holds every partition named (see {@link GroupState#counts}).
     *
     * @throws CommitFailedException if it did not count: this member was dropped from the group (a zombie) or
     *     the partitions were handed over; for a consumer without membership, if the group has members
     */
    synchronized void commit(List<GroupRecord.Offset> offsets, long commitTimeMillis) {
        GroupRecord.OffsetCommit record = new GroupRecord.OffsetCommit(generationInUse, memberId, commitTimeMillis,
                offsets);
        try {
            Optional<GroupLog.Appended> at = log.append(state(), s -> {
                if (!s.counts(record)) {
                    throw rejected(s, offsets);
                }
                return record;
            });
            if (at.isEmpty() || !at.get().counted()) {
                throw rejected(state, offsets);
            }
        } catch (SiltException e) {
            throw e;
        } catch (RuntimeException e) {
            throw Errors.translate(e);
        } finally {
            observe(state);
        }
    }

    private CommitFailedException rejected(GroupState s, List<GroupRecord.Offset> offsets) {
        if (generationInUse == GroupRecord.STANDALONE) {
            return new CommitFailedException("group '" + group() + "' has members (generation "
                    + s.generation().generation() + "); a consumer that uses assign() cannot commit to a group "
                    + "that is in use: use another group id or subscribe()");
        }
        boolean member = s.generation().subscriptions().containsKey(memberId);
        return new CommitFailedException("offset commit of " + memberId + " in group '" + group()
                + "' was rejected: the group is at generation " + s.generation().generation()
                + (member ? " and some of " + offsets.stream().map(GroupRecord.Offset::partition).toList()
                        + " were handed to another member" : " and this member is not in it (it was judged dead "
                        + "or left)")
                + "; poll again to rejoin and re-read from the committed offsets");
    }

    /** Tells the group this member has stopped reading these partitions, so their new owners may start. */
    synchronized void release(List<TopicPartition> partitions) {
        try {
            log.append(state(), s -> {
                List<TopicPartition> still = partitions.stream().filter(tp -> memberId.equals(s.holderOf(tp))
                        && !memberId.equals(s.assigneeOf(tp))).toList();
                return still.isEmpty() ? null
                        : new GroupRecord.Release(s.generation().generation(), memberId, still);
            });
            observe(state);
        } catch (RuntimeException e) {
            throw Errors.translate(e);
        }
    }

    /**
     * Leaves: deletes the heartbeat and proposes a generation without this member; heartbeats and checks stop until
     * it {@linkplain #join joins} again. Its partitions move to their new assignees at once (it holds nothing).
     */
    synchronized void leave() {
        if (!joined) {
            return;
        }
        joined = false;
        try {
            store.delete(log.membersPrefix() + memberId);
            log.append(state(), s -> {
                GroupRecord.Generation g = s.generation();
                if (!g.subscriptions().containsKey(memberId)) {
                    return null;
                }
                Map<String, List<String>> subs = new TreeMap<>(g.subscriptions());
                subs.remove(memberId);
                return next(g, subs);
            });
            observe(state);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, () -> "group '" + group() + "': " + memberId + " could not leave cleanly ("
                    + e + "); the others take over its partitions after the session timeout");
        }
    }
}
