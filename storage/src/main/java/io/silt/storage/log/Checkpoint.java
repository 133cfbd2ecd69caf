package io.silt.storage.log;

import io.silt.storage.log.internal.BinaryReader;
import io.silt.storage.log.internal.BinaryWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A summary of a partition's log up to commit record {@code coversSeq}: the retained entries with their offsets and
 * the producers' state. Checkpoints are numbered ({@code ckpt/{n:020d}}, create-only) and each one builds on the
 * one before, so the GC boundary they carry only moves forward. Opening a partition reads the newest checkpoint and
 * the few commit records after it instead of the whole history. Format in RFC 0004.
 *
 * @param number the checkpoint's number
 * @param coversSeq the last commit record it summarises; records up to it may be collected once the checkpoint has
 *     been durable for the grace period
 * @param startOffset the earliest retained offset (retention moves it forward)
 * @param endOffset the offset after the last record of {@code coversSeq}
 * @param writtenAtMillis the writer's clock when it wrote the checkpoint
 * @param compactorEpoch the lease epoch of the compactor that wrote it
 * @param entries the retained entries, contiguous from {@code startOffset} to {@code endOffset}
 * @param producers idempotent producers' state as of {@code coversSeq} (idle ones expired)
 * @param dropped the segments the previous checkpoint or the commit records it summarises referenced and this one
 *     no longer does (merged or past retention); they are deleted once this checkpoint is older than the grace
 *     period
 */
public record Checkpoint(long number, byte[] token, long coversSeq, long startOffset, long endOffset,
                         long writtenAtMillis, long compactorEpoch, List<PositionedEntry> entries,
                         ProducerStates producers, List<String> dropped) {
    static final byte[] MAGIC = "SLTK".getBytes(StandardCharsets.US_ASCII);
    public static final int FORMAT_VERSION = 1;
    private static final int MAX_ENTRIES = 10_000_000;
    private static final int MAX_PRODUCERS = 10_000_000;

    /** An entry and the offset of its first record. */
    public record PositionedEntry(long baseOffset, CommitRecord.Entry entry) {
        public long endOffset() {
            return baseOffset + entry.recordCount();
        }
    }

    public Checkpoint {
        Objects.requireNonNull(token, "token");
        entries = List.copyOf(entries);
        dropped = List.copyOf(dropped);
        long o = startOffset;
        for (PositionedEntry e : entries) {
            if (e.baseOffset() != o) {
                throw new IllegalArgumentException("checkpoint entries are not contiguous at offset " + o);
            }
            o = e.endOffset();
        }
        if (o != endOffset) {
            throw new IllegalArgumentException("checkpoint entries end at " + o + ", not " + endOffset);
        }
    }

    public byte[] encode() {
        BinaryWriter w = new BinaryWriter(1024);
        w.bytes(MAGIC).u8(FORMAT_VERSION).bytes(token).i64(number).i64(coversSeq).i64(startOffset).i64(endOffset)
                .i64(writtenAtMillis).i64(compactorEpoch);
        w.i32(entries.size());
        for (PositionedEntry e : entries) {
            w.i64(e.baseOffset());
            CommitRecord.writeEntry(w, e.entry());
        }
        Map<Long, ProducerStates.State> all = producers.all();
        w.i32(all.size());
        for (Map.Entry<Long, ProducerStates.State> p : all.entrySet()) {
            ProducerStates.State s = p.getValue();
            w.i64(p.getKey()).i32(s.epoch()).i32(s.lastSequence()).i64(s.lastCommitMillis());
            List<ProducerStates.Batch> recent = new ArrayList<>();
            s.recent().forEach(recent::add);
            w.u8(recent.size());
            for (ProducerStates.Batch b : recent) {
                w.i32(b.firstSequence()).i32(b.count()).i64(b.baseOffset());
            }
        }
        w.i32(dropped.size());
        for (String key : dropped) {
            w.string(key);
        }
        return w.finishWithCrc();
    }

    public static Checkpoint decode(byte[] bytes, String key, long expectedNumber) {
        BinaryReader r = BinaryReader.withCrc(bytes, key, "checkpoint");
        r.expectMagic(MAGIC, "checkpoint");
        int version = r.u8("format version");
        if (version > FORMAT_VERSION) {
            throw new UnsupportedFormatException("checkpoint", key, version, FORMAT_VERSION);
        }
        byte[] token = r.bytes(16, "write token");
        long number = r.nonNegative("number");
        if (number != expectedNumber) {
            throw r.corrupt("checkpoint says it is number " + number + " but is stored as number " + expectedNumber);
        }
        long covers = r.nonNegative("covered seq");
        long start = r.nonNegative("start offset");
        long end = r.nonNegative("end offset");
        long written = r.i64("written at");
        long epoch = r.i64("compactor epoch");
        int n = r.count("entry count", MAX_ENTRIES);
        List<PositionedEntry> entries = new ArrayList<>(Math.min(n, 4096));
        for (int i = 0; i < n; i++) {
            long base = r.nonNegative("entry offset");
            entries.add(new PositionedEntry(base, CommitRecord.readEntry(r)));
        }
        ProducerStates producers = new ProducerStates();
        int m = r.count("producer count", MAX_PRODUCERS);
        for (int i = 0; i < m; i++) {
            long id = r.i64("producer id");
            int epoch2 = r.i32("producer epoch");
            int lastSeq = r.i32("last sequence");
            long lastCommit = r.i64("last commit");
            int k = r.u8("recent batches");
            List<ProducerStates.Batch> recent = new ArrayList<>(k);
            for (int j = 0; j < k; j++) {
                recent.add(new ProducerStates.Batch(r.i32("batch sequence"), r.i32("batch count"),
                        r.nonNegative("batch offset")));
            }
            producers.restore(id, epoch2, lastSeq, lastCommit, recent);
        }
        int d = r.count("dropped count", MAX_ENTRIES);
        List<String> dropped = new ArrayList<>(Math.min(d, 4096));
        for (int i = 0; i < d; i++) {
            dropped.add(r.string("dropped segment"));
        }
        r.expectEnd();
        try {
            return new Checkpoint(number, token, covers, start, end, written, epoch, entries, producers, dropped);
        } catch (IllegalArgumentException e) {
            throw r.corrupt(e.getMessage());
        }
    }
}
