package io.silt.client.internal;

import io.silt.storage.log.internal.BinaryReader;
import io.silt.storage.log.internal.BinaryWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * The records of a queue log (RFC 0007) and their binary form: magic {@code SLTQ}, version, a write token (so a
 * writer recognises its own record after an unknown outcome), a type, the body and a CRC32C.
 */
sealed interface QueueRecord {
    byte[] MAGIC = "SLTQ".getBytes(StandardCharsets.US_ASCII);
    int VERSION = 1;
    int MAX_ITEMS = 1 << 20;

    /**
     * Leases offsets to {@code consumer}: the messages of the {@code reclaim}ed (expired) leases become available
     * again, {@code deadLetter} leave the queue for the dead-letter topic, {@code redelivered} (available messages)
     * and the fresh range {@code [from, to)} form the new lease, invisible to others for {@code visibilityMillis}.
     */
    record Claim(long token, long consumer, int visibilityMillis, long[] reclaim, long[] deadLetter,
                 long[] redelivered, long from, long to) implements QueueRecord {}

    /** What a settlement does to the messages of a lease. */
    enum Kind { ACK, NACK, EXTEND }

    /**
     * Acks or nacks (released again after {@code millis}) the lease's messages at {@code indexes}, or extends the
     * lease's visibility to {@code millis} from when the record is seen.
     */
    record Settlement(long lease, Kind kind, int millis, BitSet indexes) {}

    /** Acks, nacks and extensions of one flush, for any number of leases. */
    record Settle(long token, List<Settlement> entries) implements QueueRecord {}

    /** The dead-letter appends decided by these claim records are done. */
    record DeadLettered(long token, long[] claims) implements QueueRecord {}

    long token();

    int CLAIM = 1;
    int SETTLE = 2;
    int DEAD_LETTERED = 3;

    static byte[] encode(QueueRecord r) {
        BinaryWriter w = new BinaryWriter(64).bytes(MAGIC).u8(VERSION).i64(r.token());
        if (r instanceof Claim c) {
            w.u8(CLAIM).i64(c.consumer()).i32(c.visibilityMillis());
            longs(w, c.reclaim());
            longs(w, c.deadLetter());
            longs(w, c.redelivered());
            w.i64(c.from()).i64(c.to());
        } else if (r instanceof Settle s) {
            w.u8(SETTLE).i32(s.entries().size());
            for (Settlement e : s.entries()) {
                w.i64(e.lease()).u8(e.kind().ordinal()).i32(e.millis());
                longs(w, e.indexes().toLongArray());
            }
        } else if (r instanceof DeadLettered d) {
            w.u8(DEAD_LETTERED);
            longs(w, d.claims());
        }
        return w.finishWithCrc();
    }

    static QueueRecord decode(byte[] data, String key) {
        BinaryReader r = BinaryReader.withCrc(data, key, "queue record");
        r.expectMagic(MAGIC, "queue record");
        int version = r.u8("version");
        if (version != VERSION) {
            throw r.corrupt("queue record format " + version + " is newer than this Silt (" + VERSION
                    + "); upgrade the SDK");
        }
        long token = r.i64("token");
        int type = r.u8("type");
        QueueRecord out;
        switch (type) {
            case CLAIM -> out = new Claim(token, r.i64("consumer"), r.i32("visibility"), longs(r, "reclaim"),
                    longs(r, "dead letters"), longs(r, "redelivered"), r.nonNegative("from"), r.nonNegative("to"));
            case SETTLE -> {
                int n = r.count("settlements", MAX_ITEMS);
                List<Settlement> entries = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    long lease = r.i64("lease");
                    int kind = r.u8("kind");
                    if (kind >= Kind.values().length) {
                        throw r.corrupt("unknown settlement kind " + kind);
                    }
                    entries.add(new Settlement(lease, Kind.values()[kind], r.i32("millis"),
                            BitSet.valueOf(longs(r, "indexes"))));
                }
                out = new Settle(token, entries);
            }
            case DEAD_LETTERED -> out = new DeadLettered(token, longs(r, "claims"));
            default -> throw r.corrupt("unknown queue record type " + type);
        }
        r.expectEnd();
        return out;
    }

    static void longs(BinaryWriter w, long[] values) {
        w.i32(values.length);
        for (long v : values) {
            w.i64(v);
        }
    }

    static long[] longs(BinaryReader r, String field) {
        long[] out = new long[r.count(field, MAX_ITEMS)];
        for (int i = 0; i < out.length; i++) {
            out[i] = r.i64(field);
        }
        return out;
    }
}
