package io.silt.client.internal;

import io.silt.storage.log.internal.BinaryReader;
import io.silt.storage.log.internal.BinaryWriter;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.Map;

/**
 * A queue partition's state after record {@code seq}, so opening a queue costs a hint, a snapshot and the tail
 * (RFC 0007). Deterministic in the log, so any consumer may write it with a plain PUT: two writers write the same
 * bytes. Observer times are not stored: a loaded lease or released message counts as seen at load time, which only
 * ever delays a redelivery.
 */
final class QueueSnapshot {
    private static final byte[] MAGIC = "SLTS".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;

    private QueueSnapshot() {}

    static byte[] encode(QueueState s) {
        BinaryWriter w = new BinaryWriter(256).bytes(MAGIC).u8(VERSION).i64(s.seq).i64(s.high);
        w.i32(s.leases.size());
        for (QueueState.Lease l : s.leases.values()) {
            w.i64(l.id).i64(l.consumer).i32(l.visibilityMillis);
            QueueRecord.longs(w, l.redelivered);
            w.i32(l.counts.length);
            for (int c : l.counts) {
                w.i32(c);
            }
            w.i64(l.from).i64(l.to);
            QueueRecord.longs(w, l.settled.toLongArray());
        }
        w.i32(s.available.size());
        for (Map.Entry<Long, QueueState.Available> e : s.available.entrySet()) {
            w.i64(e.getKey()).i32(e.getValue().count()).i32(e.getValue().delayMillis());
        }
        w.i32(s.pendingDeadLetters.size());
        for (Map.Entry<Long, long[]> e : s.pendingDeadLetters.entrySet()) {
            w.i64(e.getKey());
            QueueRecord.longs(w, e.getValue());
        }
        return w.finishWithCrc();
    }

    static QueueState decode(byte[] data, String key, long nowNanos) {
        BinaryReader r = BinaryReader.withCrc(data, key, "queue snapshot");
        r.expectMagic(MAGIC, "queue snapshot");
        if (r.u8("version") != VERSION) {
            throw r.corrupt("queue snapshot format is newer than this Silt; upgrade the SDK");
        }
        QueueState s = new QueueState();
        s.seq = r.nonNegative("seq");
        s.high = r.nonNegative("high");
        int leases = r.count("leases", QueueRecord.MAX_ITEMS);
        for (int i = 0; i < leases; i++) {
            long id = r.i64("lease");
            long consumer = r.i64("consumer");
            int visibility = r.i32("visibility");
            long[] redelivered = QueueRecord.longs(r, "redelivered");
            int[] counts = new int[r.count("counts", QueueRecord.MAX_ITEMS)];
            for (int j = 0; j < counts.length; j++) {
                counts[j] = r.i32("count");
            }
            if (counts.length != redelivered.length) {
                throw r.corrupt("lease " + id + " has " + redelivered.length + " offsets but " + counts.length
                        + " counts");
            }
            QueueState.Lease l = new QueueState.Lease(id, consumer, visibility, redelivered, counts, r.i64("from"),
                    r.i64("to"), nowNanos);
            l.settled.or(BitSet.valueOf(QueueRecord.longs(r, "settled")));
            l.remaining = l.size() - l.settled.cardinality();
            s.leases.put(id, l);
        }
        int available = r.count("available", QueueRecord.MAX_ITEMS);
        for (int i = 0; i < available; i++) {
            long offset = r.i64("offset");
            int count = r.i32("count");
            int delay = r.i32("delay");
            s.available.put(offset, new QueueState.Available(count, delay, nowNanos + delay * 1_000_000L));
        }
        int pending = r.count("pending dead letters", QueueRecord.MAX_ITEMS);
        for (int i = 0; i < pending; i++) {
            s.pendingDeadLetters.put(r.i64("claim"), QueueRecord.longs(r, "offsets"));
        }
        r.expectEnd();
        return s;
    }
}
