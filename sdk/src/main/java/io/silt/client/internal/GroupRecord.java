package io.silt.client.internal;

import io.silt.client.TopicPartition;
import io.silt.storage.log.UnsupportedFormatException;
import io.silt.storage.log.internal.BinaryReader;
import io.silt.storage.log.internal.BinaryWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A record of a consumer group's log ({@code groups/{group}/log/{n:020d}}, RFC 0006). Its position in the log
 * decides whether it counts: see {@link GroupState#apply}.
 */
sealed interface GroupRecord {
    byte[] MAGIC = "SLTG".getBytes(StandardCharsets.US_ASCII);
    int FORMAT_VERSION = 1;
    /** The generation of a commit made by a consumer that uses {@code assign}, not group membership. */
    long STANDALONE = -1;
    /** The generation of an offset reset made by an administrator while the group had no live members. */
    long ADMIN = -2;

    /** A new generation: who is in the group, what each reads, and what each member subscribed to. */
    record Generation(long generation, Map<String, List<String>> subscriptions,
                      Map<String, List<TopicPartition>> assignment) implements GroupRecord {
        public Generation {
            subscriptions = sorted(subscriptions);
            assignment = sorted(assignment);
        }

        List<String> members() {
            return List.copyOf(subscriptions.keySet());
        }
    }

    /** A committed position (the next offset to read) and the newest record timestamp consumed before it. */
    record Offset(TopicPartition partition, long offset, long recordTimestamp) {}

    /** An offset commit by {@code member} in {@code generation} ({@link #STANDALONE} or {@link #ADMIN} too). */
    record OffsetCommit(long generation, String member, long commitTimeMillis, List<Offset> offsets)
            implements GroupRecord {
        public OffsetCommit {
            offsets = List.copyOf(offsets);
        }
    }

    /** {@code member} has stopped reading these partitions (taken from it by {@code generation}); others may start. */
    record Release(long generation, String member, List<TopicPartition> partitions) implements GroupRecord {
        public Release {
            partitions = List.copyOf(partitions);
        }
    }

    /** The whole group state as of the record before it; a reader starts here instead of replaying the log. */
    record Snapshot(GroupState.Image image) implements GroupRecord {}

    private static <V> Map<String, V> sorted(Map<String, V> m) {
        return java.util.Collections.unmodifiableMap(new TreeMap<>(m));
    }

    // ---- encoding -------------------------------------------------------------------------------------------

    int GENERATION = 1;
    int COMMIT = 2;
    int RELEASE = 3;
    int SNAPSHOT = 4;

    static byte[] encode(GroupRecord record, byte[] token) {
        BinaryWriter w = new BinaryWriter(256).bytes(MAGIC).u8(FORMAT_VERSION).bytes(token);
        if (record instanceof Generation g) {
            w.u8(GENERATION);
            writeGeneration(w, g);
        } else if (record instanceof OffsetCommit c) {
            w.u8(COMMIT).i64(c.generation()).string(c.member()).i64(c.commitTimeMillis()).i32(c.offsets().size());
            for (Offset o : c.offsets()) {
                writeTp(w, o.partition());
                w.i64(o.offset()).i64(o.recordTimestamp());
            }
        } else if (record instanceof Release r) {
            w.u8(RELEASE).i64(r.generation()).string(r.member());
            writeTps(w, r.partitions());
        } else {
            GroupState.Image i = ((Snapshot) record).image();
            w.u8(SNAPSHOT);
            writeGeneration(w, i.generation());
            w.i32(i.holders().size());
            for (Map.Entry<TopicPartition, String> e : i.holders().entrySet()) {
                writeTp(w, e.getKey());
                w.string(e.getValue());
            }
            w.i32(i.committed().size());
            for (Map.Entry<TopicPartition, GroupState.Committed> e : i.committed().entrySet()) {
                writeTp(w, e.getKey());
                GroupState.Committed c = e.getValue();
                w.i64(c.offset()).i64(c.commitTimeMillis()).i64(c.recordTimestamp()).i64(c.previousOffset())
                        .i64(c.previousCommitTimeMillis());
            }
        }
        return w.finishWithCrc();
    }

    static GroupRecord decode(byte[] bytes, String key) {
        BinaryReader r = BinaryReader.withCrc(bytes, key, "group record");
        r.expectMagic(MAGIC, "group record");
        int version = r.u8("format version");
        if (version > FORMAT_VERSION) {
            throw new UnsupportedFormatException("group record", key, version, FORMAT_VERSION);
        }
        r.bytes(16, "write token");
        int type = r.u8("type");
        GroupRecord out = switch (type) {
            case GENERATION -> readGeneration(r);
            case COMMIT -> {
                long gen = r.i64("generation");
                String member = r.string("member");
                long time = r.i64("commit time");
                int n = r.count("offsets", 1 << 20);
                List<Offset> offsets = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    offsets.add(new Offset(readTp(r), r.i64("offset"), r.i64("record timestamp")));
                }
                yield new OffsetCommit(gen, member, time, offsets);
            }
            case RELEASE -> new Release(r.i64("generation"), r.string("member"), readTps(r));
            case SNAPSHOT -> {
                Generation g = readGeneration(r);
                int h = r.count("holders", 1 << 20);
                Map<TopicPartition, String> holders = new LinkedHashMap<>();
                for (int i = 0; i < h; i++) {
                    holders.put(readTp(r), r.string("holder"));
                }
                int c = r.count("committed", 1 << 20);
                Map<TopicPartition, GroupState.Committed> committed = new LinkedHashMap<>();
                for (int i = 0; i < c; i++) {
                    committed.put(readTp(r), new GroupState.Committed(r.i64("offset"), r.i64("commit time"),
                            r.i64("record timestamp"), r.i64("previous offset"), r.i64("previous commit time")));
                }
                yield new Snapshot(new GroupState.Image(g, holders, committed));
            }
            default -> throw r.corrupt("unknown group record type " + type);
        };
        r.expectEnd();
        return out;
    }

    private static void writeGeneration(BinaryWriter w, Generation g) {
        w.i64(g.generation()).i32(g.subscriptions().size());
        for (Map.Entry<String, List<String>> e : g.subscriptions().entrySet()) {
            w.string(e.getKey()).i32(e.getValue().size());
            e.getValue().forEach(w::string);
            writeTps(w, g.assignment().getOrDefault(e.getKey(), List.of()));
        }
    }

    private static Generation readGeneration(BinaryReader r) {
        long gen = r.i64("generation");
        int n = r.count("members", 1 << 16);
        Map<String, List<String>> subs = new TreeMap<>();
        Map<String, List<TopicPartition>> assignment = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            String member = r.string("member");
            int t = r.count("topics", 1 << 16);
            List<String> topics = new ArrayList<>(t);
            for (int j = 0; j < t; j++) {
                topics.add(r.string("topic"));
            }
            subs.put(member, List.copyOf(topics));
            assignment.put(member, readTps(r));
        }
        return new Generation(gen, subs, assignment);
    }

    private static void writeTps(BinaryWriter w, List<TopicPartition> tps) {
        w.i32(tps.size());
        tps.forEach(tp -> writeTp(w, tp));
    }

    private static List<TopicPartition> readTps(BinaryReader r) {
        int n = r.count("partitions", 1 << 20);
        List<TopicPartition> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(readTp(r));
        }
        return List.copyOf(out);
    }

    private static void writeTp(BinaryWriter w, TopicPartition tp) {
        w.string(tp.topic()).i32(tp.partition());
    }

    private static TopicPartition readTp(BinaryReader r) {
        return new TopicPartition(r.string("topic"), r.i32("partition"));
    }
}
