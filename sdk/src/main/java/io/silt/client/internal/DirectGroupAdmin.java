package io.silt.client.internal;

import io.silt.client.Admin;
import io.silt.client.GroupInfo;
import io.silt.client.InvalidRequestException;
import io.silt.client.TopicPartition;
import io.silt.storage.ObjectInfo;
import io.silt.storage.ObjectStore;
import io.silt.client.TopicInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.random.RandomGenerator;

/**
 * {@link GroupAdmin} working on the group logs in the transport's {@linkplain Transport#stateStore() state store}
 * (the bucket, or the service's state routes): reads group logs, appends administrators' offset resets.
 */
public final class DirectGroupAdmin implements GroupAdmin {
    private static final long DEFAULT_SESSION_MS = 8_000; // ConsumerConfig.defaults(), for heartbeats without metadata

    private final Transport transport;
    private final ObjectStore store;
    private final RandomGenerator random;

    public DirectGroupAdmin(Transport transport) {
        this.transport = transport;
        this.store = transport.stateStore();
        this.random = transport.newRandom();
    }

    @Override
    public List<String> listGroups() {
        try {
            TreeSet<String> names = new TreeSet<>();
            for (ObjectInfo o : store.listAll("groups/")) {
                String rest = o.key().substring("groups/".length());
                int slash = rest.indexOf('/');
                if (slash > 0 && rest.startsWith("log/", slash + 1)) {
                    names.add(rest.substring(0, slash));
                }
            }
            return List.copyOf(names);
        } catch (RuntimeException e) {
            throw Errors.translate(e);
        }
    }

    private GroupState load(String group) {
        GroupState s = new GroupLog(store, group, random).load();
        if (s.seq() == 0) {
            throw new InvalidRequestException("consumer group '" + group + "' does not exist (it has no log); "
                    + "list the groups with silt groups list");
        }
        return s;
    }

    /** What one partition's figures tell: its retained range and an estimate of the bytes per record. */
    private record Extent(long start, long end, double bytesPerRecord) {}

    /** The extents of every partition of {@code topic}, from one fresh describe (an admin read). */
    private Map<Integer, Extent> extents(String topic) {
        Map<Integer, Extent> out = new HashMap<>();
        for (TopicInfo.PartitionInfo p : transport.describe(topic, AdminImpl.STATS_WINDOW).partitions()) {
            long records = p.endOffset() - p.startOffset();
            out.put(p.partition(), new Extent(p.startOffset(), p.endOffset(),
                    records <= 0 ? 0 : (double) p.bytes() / records));
        }
        return out;
    }

    @Override
    public GroupInfo describeGroup(String group) {
        try {
            GroupState s = load(group);
            Map<TopicPartition, String> owners = s.holders();
            Set<TopicPartition> parts = new TreeSet<>(StickyAssignor.ORDER);
            parts.addAll(owners.keySet());
            parts.addAll(s.committed().keySet());
            List<GroupInfo.PartitionLag> lags = new ArrayList<>();
            Map<String, Map<Integer, Extent>> topics = new HashMap<>();
            for (TopicPartition tp : parts) {
                Map<Integer, Extent> extents;
                try {
                    extents = topics.computeIfAbsent(tp.topic(), this::extents);
                } catch (io.silt.client.UnknownTopicException gone) {
                    topics.put(tp.topic(), Map.of());
                    continue; // the topic was deleted; its old commits no longer mean anything
                }
                Extent x = extents.get(tp.partition());
                if (x == null) {
                    continue; // the topic was deleted or created again with fewer partitions
                }
                GroupState.Committed c = s.committed().get(tp);
                long committed = c == null ? -1 : c.offset();
                long lag = Math.max(0, x.end() - Math.max(committed, x.start()));
                lags.add(new GroupInfo.PartitionLag(tp, committed, x.end(), lag,
                        Math.round(lag * x.bytesPerRecord()), owners.getOrDefault(tp, "")));
            }
            return new GroupInfo(group, s.generation().generation(), s.generation().members(), lags);
        } catch (RuntimeException e) {
            throw Errors.translate(e);
        }
    }

    @Override
    public Map<TopicPartition, Long> resetOffsets(String group, String topic, Admin.OffsetSpec to) {
        try {
            GroupLog log = new GroupLog(store, group, random);
            GroupState s = log.load();
            removeDeadMembers(log, s);
            int partitions = transport.topic(topic).partitions();
            Map<TopicPartition, Long> target = new LinkedHashMap<>();
            List<GroupRecord.Offset> offsets = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                long off = offsetFor(topic, p, to);
                TopicPartition tp = new TopicPartition(topic, p);
                target.put(tp, off);
                offsets.add(new GroupRecord.Offset(tp, off, -1));
            }
            GroupRecord.OffsetCommit reset = new GroupRecord.OffsetCommit(GroupRecord.ADMIN, "admin",
                    transport.clock().millis(), offsets);
            log.append(s, st -> {
                if (!st.generation().subscriptions().isEmpty()) {
                    throw liveMembers(group, st.generation().members());
                }
                return reset;
            });
            return target;
        } catch (RuntimeException e) {
            throw Errors.translate(e);
        }
    }

    private long offsetFor(String topic, int p, Admin.OffsetSpec to) {
        long[] range = transport.offsets(topic, p);
        if (to instanceof Admin.OffsetSpec.Earliest) {
            return range[0];
        }
        if (to instanceof Admin.OffsetSpec.Latest) {
            return range[1];
        }
        if (to instanceof Admin.OffsetSpec.AtTimestamp t) {
            return transport.offsetForTimestamp(topic, p, t.epochMillis());
        }
        long off = ((Admin.OffsetSpec.AtOffset) to).offset();
        if (off < range[0] || off > range[1]) {
            throw new InvalidRequestException("offset " + off + " is outside " + topic + "-" + p + "'s retained "
                    + "range [" + range[0] + ", " + range[1] + "]");
        }
        return off;
    }

    /**
     * Refuses if any member of the current generation is alive; if all are dead, appends a generation without
     * them (so a zombie's later commits are ignored). Alive means: its heartbeat object was written less than its
     * session timeout before a probe object written now. Both times come from the store's clock, so no two
     * machines' clocks are compared.
     */
    private void removeDeadMembers(GroupLog log, GroupState s) {
        List<String> members = s.generation().members();
        if (members.isEmpty()) {
            return;
        }
        ObjectInfo probe = store.put(GroupLog.prefix(log.group()) + "admin-probe", new byte[0]);
        List<String> live = new ArrayList<>();
        for (String m : members) {
            Optional<ObjectInfo> hb = store.head(log.membersPrefix() + m);
            if (hb.isEmpty()) {
                continue;
            }
            long session = parse(hb.get().metadata().get("session-ms"));
            if (probe.lastModified().toEpochMilli() - hb.get().lastModified().toEpochMilli() < session) {
                live.add(m);
            }
        }
        if (!live.isEmpty()) {
            throw liveMembers(log.group(), live);
        }
        long gen = s.generation().generation();
        log.append(s, st -> st.generation().generation() == gen
                ? new GroupRecord.Generation(gen + 1, Map.of(), Map.of()) : null);
    }

    private static long parse(String ms) {
        try {
            return ms == null ? DEFAULT_SESSION_MS : Long.parseLong(ms);
        } catch (NumberFormatException e) {
            return DEFAULT_SESSION_MS;
        }
    }

    private static InvalidRequestException liveMembers(String group, List<String> members) {
        return new InvalidRequestException("consumer group '" + group + "' has live members " + members
                + "; offsets can only be reset while nobody consumes: close its consumers (or wait until their "
                + "session timeout has passed) and try again");
    }

    /**
     * A topic's figures over all groups that read it: the summed consumption rate, and the lag, bytes and latency
     * of the group furthest behind. Costs a LIST of {@code groups/} and a group load per group (an admin call).
     * The rate is over each partition's last two commits, which may be older than {@code window}.
     */
    @Override
    public AdminImpl.Consumption consumption(String topic, List<io.silt.client.TopicInfo.PartitionInfo> partitions,
                                             java.time.Duration window) {
        try {
            double rate = 0;
            long worstLag = -1;
            long worstBytes = 0;
            long latency = -1;
            long since = transport.clock().millis() - window.toMillis();
            for (String group : listGroups()) {
                GroupState s = new GroupLog(store, group, random).load();
                long lag = 0;
                long bytes = 0;
                boolean reads = false;
                for (io.silt.client.TopicInfo.PartitionInfo p : partitions) {
                    GroupState.Committed c = s.committed().get(new TopicPartition(topic, p.partition()));
                    if (c == null) {
                        continue;
                    }
                    reads = true;
                    long l = Math.max(0, p.endOffset() - Math.max(c.offset(), p.startOffset()));
                    long records = p.endOffset() - p.startOffset();
                    lag += l;
                    bytes += records == 0 ? 0 : Math.round((double) p.bytes() * l / records);
                    long dt = c.commitTimeMillis() - c.previousCommitTimeMillis();
                    if (dt > 0 && c.commitTimeMillis() >= since) {
                        rate += (c.offset() - c.previousOffset()) * 1000.0 / dt;
                    }
                    if (c.recordTimestamp() >= 0) {
                        latency = Math.max(latency, c.commitTimeMillis() - c.recordTimestamp());
                    }
                }
                if (reads && lag > worstLag) {
                    worstLag = lag;
                    worstBytes = bytes;
                }
            }
            return worstLag < 0 ? AdminImpl.Consumption.NONE
                    : new AdminImpl.Consumption(rate, worstLag, worstBytes, latency);
        } catch (RuntimeException e) {
            throw Errors.translate(e);
        }
    }

    @Override
    public List<TopicStats> stats(String group) {
        try {
            GroupInfo info = describeGroup(group);
            GroupState s = load(group);
            Map<String, List<GroupInfo.PartitionLag>> byTopic = new TreeMap<>();
            info.partitions().forEach(p -> byTopic.computeIfAbsent(p.partition().topic(), t -> new ArrayList<>())
                    .add(p));
            List<TopicStats> out = new ArrayList<>();
            byTopic.forEach((topic, lags) -> {
                double rate = 0;
                long latency = -1;
                long lastCommit = -1;
                for (GroupInfo.PartitionLag l : lags) {
                    GroupState.Committed c = s.committed().get(l.partition());
                    if (c == null) {
                        continue;
                    }
                    long dt = c.commitTimeMillis() - c.previousCommitTimeMillis();
                    if (dt > 0) {
                        rate += (c.offset() - c.previousOffset()) * 1000.0 / dt;
                    }
                    if (c.recordTimestamp() >= 0) {
                        latency = Math.max(latency, c.commitTimeMillis() - c.recordTimestamp());
                    }
                    lastCommit = Math.max(lastCommit, c.commitTimeMillis());
                }
                out.add(new TopicStats(group, topic, rate,
                        lags.stream().mapToLong(GroupInfo.PartitionLag::lagRecords).sum(),
                        lags.stream().mapToLong(GroupInfo.PartitionLag::lagBytes).sum(),
                        latency < 0 ? OptionalLong.empty() : OptionalLong.of(latency),
                        lastCommit < 0 ? OptionalLong.empty() : OptionalLong.of(lastCommit)));
            });
            return out;
        } catch (RuntimeException e) {
            throw Errors.translate(e);
        }
    }
}
