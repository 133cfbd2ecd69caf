package io.silt.client.internal;

import io.silt.client.Consumer;
import io.silt.client.ConsumerConfig;
import io.silt.client.ConsumerRebalanceListener;
import io.silt.client.ConsumerRecord;
import io.silt.client.Header;
import io.silt.client.InvalidRequestException;
import io.silt.client.OffsetOutOfRangeException;
import io.silt.client.SiltException;
import io.silt.client.TopicPartition;
import io.silt.storage.log.InvalidNameException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * The Kafka-style consumer working on the bucket. Positions are kept per partition; each poll visits the assigned
 * partitions in turn, starting one further each time (fairness), and probes a partition again at once while it
 * returns records, backing off to {@link ConsumerConfig#maxIdleBackoff()} while it is idle.
 *
 * <p>Group membership ({@link GroupMember}) is kept by a background task ({@link GroupHeartbeat}, on a daemon
 * thread of this consumer, or on an injected timer in tests): heartbeats, liveness checks and generation proposals
 * run whether or not the application is in {@code poll}, so processing slowly between polls causes no rebalance. A
 * poll that finds work due does it itself (and a poll that waits wakes up for it), so a consumer waiting in poll
 * takes over a dead member's partitions as soon as the group state says so. Assignment changes are applied only
 * here, on the user's thread, at the start of a poll: revoke (listener, commit), release, assign (listener). If the
 * application does not poll for {@link ConsumerConfig#maxPollInterval()}, the background task leaves the group; the
 * next poll finds every partition lost, tells the listener, and rejoins.
 */
public final class ConsumerImpl implements Consumer {
    private static final System.Logger LOG = System.getLogger(ConsumerImpl.class.getName());

    /** What the consumer knows of one partition it reads. */
    private static final class PartitionState {
        long position;
        long newestTimestamp = -1;
        long committedPosition = -1;
        final ProbeSchedule probes;

        PartitionState(long position, long maxIdleNanos) {
            this.position = position;
            this.probes = new ProbeSchedule(maxIdleNanos);
        }
    }

    private final Transport transport;
    private final ConsumerConfig config;
    private final GroupMember member;
    /** The background heartbeat's timer; {@code null} until subscribe when the consumer owns its own thread. */
    private volatile ProducerTimer timer;
    private final boolean ownsTimer;
    private volatile GroupHeartbeat heartbeat;
    /** Removes the hook that stops the background work when the client closes first. */
    private final Runnable removeCloseHook;
    private List<String> topics = List.of();
    /** {@link GroupMember.View#drops()} as of the last reconcile. */
    private long reconciledDrops;
    private final Map<TopicPartition, PartitionState> owned = new LinkedHashMap<>();
    private ConsumerRebalanceListener listener = ConsumerRebalanceListener.NONE;
    private boolean subscribed;
    private boolean assigned;
    private int rotation;
    private long reconciledSeq = -1;
    private long nextAutoCommitNanos;
    private volatile SiltException lastCommitError;
    private boolean closed;

    public ConsumerImpl(Transport transport, ConsumerConfig config, RandomGenerator random) {
        this(transport, config, random, null);
    }

    /**
     * @param timer runs the group member's background work; {@code null} for a daemon thread of this consumer's own
     *     (started at {@link #subscribe}, stopped at {@link #close}). Tests pass a manual timer.
     */
    public ConsumerImpl(Transport transport, ConsumerConfig config, RandomGenerator random,
                        ProducerTimer timer) {
        this.transport = transport;
        this.timer = timer;
        this.ownsTimer = timer == null;
        this.config = config;
        byte[] id = new byte[6];
        random.nextBytes(id);
        String memberId = "consumer-" + HexFormat.of().formatHex(id);
        try {
            this.member = config.groupId() == null ? null : new GroupMember(transport,
                    new GroupLog(transport.stateStore(), config.groupId(), random), memberId, config);
        } catch (InvalidNameException e) {
            throw Errors.translate(e); // the public InvalidRequestException, as every other bad name
        }
        this.nextAutoCommitNanos = now() + config.autoCommitInterval().toNanos();
        this.removeCloseHook = member == null ? () -> { } : transport.onClose(this::stopBackground);
    }

    /** Stops the background heartbeat (at close, or when the client closes before this consumer). */
    private void stopBackground() {
        GroupHeartbeat h = heartbeat;
        if (h != null) {
            h.stop();
        }
        if (ownsTimer && timer instanceof GroupHeartbeat.DaemonTimer t) {
            t.close();
        }
    }

    /** This consumer's member id in its group. */
    public Optional<String> memberId() {
        return member == null ? Optional.empty() : Optional.of(member.memberId());
    }

    @Override
    public void subscribe(Collection<String> topics, ConsumerRebalanceListener listener) {
        ensureOpen();
        if (member == null) {
            throw new InvalidRequestException("subscribe() needs a group id (ConsumerConfig.withGroupId); use "
                    + "assign() to read partitions without a group");
        }
        if (assigned) {
            throw new InvalidRequestException("this consumer uses assign(); a consumer either assigns or subscribes");
        }
        if (topics.isEmpty()) {
            throw new InvalidRequestException("subscribe to at least one topic (close the consumer to leave)");
        }
        this.listener = listener;
        this.subscribed = true;
        this.topics = List.copyOf(topics);
        member.join(this.topics);
        if (heartbeat == null) {
            if (timer == null) {
                timer = new GroupHeartbeat.DaemonTimer("silt-consumer-heartbeat-" + member.memberId());
            }
            heartbeat = new GroupHeartbeat(member, timer, transport.nanoTime(), config);
        }
        heartbeat.start();
    }

    @Override
    public void assign(Collection<TopicPartition> partitions) {
        ensureOpen();
        if (subscribed) {
            throw new InvalidRequestException("this consumer subscribes; a consumer either assigns or subscribes");
        }
        assigned = true;
        owned.keySet().retainAll(new LinkedHashSet<>(partitions));
        for (TopicPartition tp : partitions) {
            transport.checkPartition(tp.topic(), tp.partition());
            if (!owned.containsKey(tp)) {
                owned.put(tp, new PartitionState(initialPosition(tp), config.maxIdleBackoff().toNanos()));
            }
        }
    }

    @Override
    public Set<TopicPartition> assignment() {
        return Set.copyOf(owned.keySet());
    }

    @Override
    public List<ConsumerRecord> poll(Duration timeout) {
        ensureOpen();
        if (!subscribed && !assigned) {
            throw new InvalidRequestException("call subscribe() or assign() before poll()");
        }
        long deadline = now() + Math.max(0, timeout.toNanos());
        while (true) {
            if (subscribed) {
                if (!heartbeat.polled()) {
                    // The background task left the group: this consumer did not poll within maxPollInterval.
                    LOG.log(Level.INFO, () -> member.memberId() + " rejoins group '" + member.group()
                            + "' (it left after not polling within the max poll interval)");
                    member.join(topics);
                    heartbeat.start();
                }
                member.maintain(); // work that is due now (the background task does it when nobody polls)
                if (member.seq() != reconciledSeq) {
                    reconcile();
                }
            }
            maybeAutoCommit();
            List<ConsumerRecord> got = fetchRound();
            long now = now();
            if (!got.isEmpty() || now >= deadline) {
                return got;
            }
            long wake = deadline;
            for (PartitionState ps : owned.values()) {
                wake = Math.min(wake, ps.probes.nextNanos());
            }
            if (subscribed) {
                wake = Math.min(wake, member.nextDueNanos()); // reconcile as soon as the group state changes
            }
            sleep(Math.max(wake - now, 1_000_000L));
        }
    }

    /**
     * Brings the partitions read in line with the group state (as the background task left it): revoke, commit,
     * release, then assign. Runs on the user's thread, with the member's monitor not held while the listener runs.
     * A partition is read only while this member is assigned it <em>and</em> holds it; if the member was dropped
     * from the group since the last reconcile (judged dead, or it left after the max poll interval), everything it
     * read is lost (its commits no longer count), even if the partition came back to it since: it restarts from the
     * committed offset.
     */
    private void reconcile() {
        GroupMember.View v = member.view();
        reconciledSeq = v.seq(); // a change folded in meanwhile is reconciled at the next poll
        member.useCurrentGeneration();
        boolean dropped = v.drops() != reconciledDrops;
        reconciledDrops = v.drops();
        Set<TopicPartition> readable = new LinkedHashSet<>(v.readable());
        List<TopicPartition> revoked = owned.keySet().stream()
                .filter(tp -> dropped || !readable.contains(tp)).toList();
        if (!revoked.isEmpty()) {
            List<TopicPartition> handedOver = dropped ? List.of()
                    : revoked.stream().filter(v.toRelease()::contains).toList();
            LOG.log(Level.INFO, () -> member.memberId() + " gives up " + revoked + " (generation "
                    + v.generation() + (handedOver.size() < revoked.size() ? "; lost, not handed over: "
                    + revoked.stream().filter(tp -> !handedOver.contains(tp)).toList() : "") + ")");
            callListener(() -> listener.onPartitionsRevoked(revoked));
            if (config.autoCommit() && !handedOver.isEmpty()) {
                try {
                    commitPartitions(dirtyPositions(handedOver));
                } catch (SiltException e) {
                    lastCommitError = e;
                    LOG.log(Level.WARNING, () -> "commit on revoke failed; the new owner re-reads from the last "
                            + "committed offset: " + e.getMessage());
                }
            }
            revoked.forEach(owned::remove);
        }
        // Only what this consumer no longer reads: a partition given back to it meanwhile is not released.
        List<TopicPartition> release = v.toRelease().stream().filter(tp -> !owned.containsKey(tp)).toList();
        if (!release.isEmpty()) {
            member.release(release);
        }
        List<TopicPartition> added = new ArrayList<>();
        for (TopicPartition tp : v.readable()) {
            if (!owned.containsKey(tp)) {
                owned.put(tp, new PartitionState(initialPosition(tp), config.maxIdleBackoff().toNanos()));
                added.add(tp);
            }
        }
        if (!added.isEmpty()) {
            LOG.log(Level.INFO, () -> member.memberId() + " takes " + added + " (generation "
                    + v.generation() + ")");
            callListener(() -> listener.onPartitionsAssigned(added));
        }
    }

    private void callListener(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "the rebalance listener threw; carrying on", e);
        }
    }

    private long initialPosition(TopicPartition tp) {
        if (member != null) {
            Optional<Long> c = member.committed(tp);
            if (c.isPresent()) {
                return c.get();
            }
        }
        long[] range = transport.offsets(tp.topic(), tp.partition());
        return config.autoOffsetReset() == ConsumerConfig.OffsetReset.EARLIEST ? range[0] : range[1];
    }

    private List<ConsumerRecord> fetchRound() {
        List<ConsumerRecord> out = new ArrayList<>();
        List<Map.Entry<TopicPartition, PartitionState>> parts = new ArrayList<>(owned.entrySet());
        if (parts.isEmpty()) {
            return out;
        }
        int start = Math.floorMod(rotation++, parts.size());
        for (int i = 0; i < parts.size() && out.size() < config.maxPollRecords(); i++) {
            Map.Entry<TopicPartition, PartitionState> e = parts.get((start + i) % parts.size());
            PartitionState ps = e.getValue();
            long now = now();
            if (!ps.probes.due(now)) {
                continue;
            }
            TopicPartition tp = e.getKey();
            Transport.FetchResult r;
            try {
                r = transport.fetch(tp.topic(), tp.partition(), ps.position, config.maxPollRecords() - out.size(),
                        config.fetchMaxBytes(), Duration.ZERO);
            } catch (OffsetOutOfRangeException oor) {
                long before = ps.position;
                ps.position = resetPosition(tp);
                LOG.log(Level.WARNING, () -> tp + ": offset " + before + " is not retained; resetting to "
                        + config.autoOffsetReset() + " (" + ps.position + ")");
                continue;
            }
            if (r.records().isEmpty()) {
                ps.probes.onEmpty(now);
                continue;
            }
            int asked = config.maxPollRecords() - out.size();
            for (Transport.Fetched f : r.records()) {
                out.add(toConsumerRecord(tp, f));
                ps.position = f.offset() + 1;
                ps.newestTimestamp = Math.max(ps.newestTimestamp, f.record().timestamp());
            }
            ps.probes.onData(now, r.records().size() < asked);
        }
        return out;
    }

    private long resetPosition(TopicPartition tp) {
        long[] range = transport.offsets(tp.topic(), tp.partition());
        return config.autoOffsetReset() == ConsumerConfig.OffsetReset.EARLIEST ? range[0] : range[1];
    }

    private static ConsumerRecord toConsumerRecord(TopicPartition tp, Transport.Fetched f) {
        List<Header> headers = new ArrayList<>(f.record().headers().size());
        for (io.silt.storage.log.segment.Header h : f.record().headers()) {
            headers.add(new Header(h.name(), h.value()));
        }
        return new ConsumerRecord(tp.topic(), tp.partition(), f.offset(), f.record().timestamp(), f.record().key(),
                f.record().value(), headers);
    }

    private void maybeAutoCommit() {
        if (!config.autoCommit() || member == null || now() < nextAutoCommitNanos) {
            return;
        }
        nextAutoCommitNanos = now() + config.autoCommitInterval().toNanos();
        try {
            commitPartitions(dirtyPositions(owned.keySet()));
        } catch (SiltException e) {
            lastCommitError = e;
            LOG.log(Level.WARNING, () -> "auto-commit failed: " + e.getMessage());
        }
    }

    private Map<TopicPartition, Long> dirtyPositions(Collection<TopicPartition> partitions) {
        Map<TopicPartition, Long> out = new LinkedHashMap<>();
        for (TopicPartition tp : partitions) {
            PartitionState ps = owned.get(tp);
            if (ps != null && ps.position != ps.committedPosition) {
                out.put(tp, ps.position);
            }
        }
        return out;
    }

    private void commitPartitions(Map<TopicPartition, Long> offsets) {
        if (offsets.isEmpty()) {
            return;
        }
        if (member == null) {
            throw new InvalidRequestException("this consumer has no group id, so it has nowhere to commit offsets; "
                    + "set ConsumerConfig.withGroupId");
        }
        List<GroupRecord.Offset> list = new ArrayList<>();
        offsets.forEach((tp, off) -> {
            PartitionState ps = owned.get(tp);
            list.add(new GroupRecord.Offset(tp, off, ps == null ? -1 : ps.newestTimestamp));
        });
        if (!subscribed) {
            member.useCurrentGeneration();
        }
        member.commit(list, transport.clock().millis());
        offsets.forEach((tp, off) -> {
            PartitionState ps = owned.get(tp);
            if (ps != null) {
                ps.committedPosition = off;
            }
        });
    }

    @Override
    public void commitSync() {
        ensureOpen();
        commitPartitions(dirtyPositions(owned.keySet()));
    }

    @Override
    public void commitSync(Map<TopicPartition, Long> offsets) {
        ensureOpen();
        commitPartitions(new LinkedHashMap<>(offsets));
    }

    /** Commits now without throwing (the consumer is single-threaded); a failure goes to the log and to {@link #lastCommitError()}. */
    @Override
    public void commitAsync() {
        ensureOpen();
        try {
            commitSync();
            lastCommitError = null;
        } catch (SiltException e) {
            lastCommitError = e;
            LOG.log(Level.WARNING, () -> "asynchronous commit failed: " + e.getMessage());
        }
    }

    @Override
    public Optional<SiltException> lastCommitError() {
        return Optional.ofNullable(lastCommitError);
    }

    @Override
    public Optional<Long> committed(TopicPartition partition) {
        ensureOpen();
        if (member == null) {
            return Optional.empty();
        }
        try {
            member.refresh();
        } catch (RuntimeException e) {
            throw Errors.translate(e);
        }
        return member.committed(partition);
    }

    @Override
    public long position(TopicPartition partition) {
        return state(partition).position;
    }

    private PartitionState state(TopicPartition partition) {
        ensureOpen();
        PartitionState ps = owned.get(partition);
        if (ps == null) {
            throw new InvalidRequestException("partition " + partition + " is not assigned to this consumer (it has "
                    + owned.keySet() + ")");
        }
        return ps;
    }

    @Override
    public void seek(TopicPartition partition, long offset) {
        if (offset < 0) {
            throw new InvalidRequestException("cannot seek to a negative offset: " + offset);
        }
        PartitionState ps = state(partition);
        ps.position = offset;
        ps.probes.reset();
    }

    @Override
    public void seekToBeginning(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            seek(tp, transport.offsets(tp.topic(), tp.partition())[0]);
        }
    }

    @Override
    public void seekToEnd(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            seek(tp, transport.offsets(tp.topic(), tp.partition())[1]);
        }
    }

    @Override
    public Map<TopicPartition, Optional<Long>> offsetsForTimes(Map<TopicPartition, Long> timestamps) {
        ensureOpen();
        Map<TopicPartition, Optional<Long>> out = new LinkedHashMap<>();
        timestamps.forEach((tp, ts) -> {
            long end = transport.offsets(tp.topic(), tp.partition())[1];
            long at = transport.offsetForTimestamp(tp.topic(), tp.partition(), ts);
            out.put(tp, at >= end ? Optional.empty() : Optional.of(at));
        });
        return out;
    }

    @Override
    public Map<TopicPartition, Long> beginningOffsets(Collection<TopicPartition> partitions) {
        ensureOpen();
        Map<TopicPartition, Long> out = new LinkedHashMap<>();
        partitions.forEach(tp -> out.put(tp, transport.offsets(tp.topic(), tp.partition())[0]));
        return out;
    }

    @Override
    public Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions) {
        ensureOpen();
        Map<TopicPartition, Long> out = new LinkedHashMap<>();
        partitions.forEach(tp -> out.put(tp, transport.offsets(tp.topic(), tp.partition())[1]));
        return out;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        try {
            if (heartbeat != null) {
                heartbeat.stop();
            }
            if (config.autoCommit() && member != null && (subscribed || assigned)) {
                try {
                    commitSync();
                } catch (SiltException e) {
                    lastCommitError = e;
                    LOG.log(Level.WARNING, () -> "commit on close failed: " + e.getMessage());
                }
            }
            if (subscribed) {
                List<TopicPartition> mine = List.copyOf(owned.keySet());
                if (!mine.isEmpty()) {
                    callListener(() -> listener.onPartitionsRevoked(mine));
                }
                member.leave();
            }
        } finally {
            owned.clear();
            closed = true;
            stopBackground();
            removeCloseHook.run();
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new InvalidRequestException("this consumer is closed");
        }
    }

    private long now() {
        return transport.nanoTime().getAsLong();
    }

    private void sleep(long nanos) {
        try {
            transport.sleeper().sleep(Duration.ofNanos(nanos));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SiltException("interrupted while polling", e);
        }
    }
}
