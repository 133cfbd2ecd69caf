package io.silt.storage.log;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import io.silt.storage.log.segment.Record;
import io.silt.storage.log.segment.SegmentConfig;
import io.silt.storage.log.segment.SegmentWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * What the crash, concurrency and fault tests write. Every record's bytes follow from (producer id, sequence number)
 * alone, and so does the size of every batch from its first sequence number: a reader can tell which producer sent a
 * record, whether it was ever sent, and a restarted producer re-sends exactly the batch it had in flight.
 */
final class LogWorkload {
    static final long BASE_TIMESTAMP = 1_767_225_600_000L; // 2026-01-01T00:00:00Z
    /** Small batches inside segments, so reads range-GET parts of a segment. */
    static final SegmentConfig SEGMENTS = SegmentConfig.defaults().withBatchSizeBytes(4096);

    private LogWorkload() {}

    /** A record as the tests record it: who sent it and with which sequence number. */
    record Sent(long producerId, int seq) {}

    /** An acknowledged batch. */
    record Ack(long producerId, int firstSeq, int count, long baseOffset, boolean duplicate) {}

    /** How many records the batch that starts at {@code firstSeq} holds: 5 to 40. */
    static int batchSize(long producerId, int firstSeq) {
        return 5 + (int) Long.remainderUnsigned(mix(producerId, firstSeq), 36);
    }

    /** The sequence number after the last batch a producer sends when it sends batches while below {@code until}. */
    static int endSeq(long producerId, int until) {
        int s = 0;
        while (s < until) {
            s += batchSize(producerId, s);
        }
        return s;
    }

    /**
     * The record a producer sends with sequence number {@code seq}: value {@code <hex id>/<seq>/} followed by 16 to
     * 315 pseudo-random letters (incompressible enough that about half the batches exceed a 4 KiB inline threshold).
     */
    static Record record(long producerId, int seq) {
        long h = mix(producerId ^ 0x5DEECE66DL, seq);
        int pad = 16 + (int) Long.remainderUnsigned(h, 300);
        StringBuilder sb = new StringBuilder(tag(producerId, seq));
        SplittableRandom r = new SplittableRandom(h);
        for (int i = 0; i < pad; i++) {
            sb.append((char) ('a' + r.nextInt(26)));
        }
        return Record.of(("k" + seq % 5).getBytes(US_ASCII), sb.toString().getBytes(US_ASCII),
                BASE_TIMESTAMP + seq);
    }

    static PreparedBatch batch(ProducerId producer, int firstSeq) {
        SegmentWriter w = new SegmentWriter(SEGMENTS);
        int n = batchSize(producer.id(), firstSeq);
        for (int i = 0; i < n; i++) {
            w.append(record(producer.id(), firstSeq + i));
        }
        return PreparedBatch.of(producer, firstSeq, w.finish());
    }

    /**
     * Which producer sent a record read back, and with which sequence number.
     *
     * @throws AssertionError if the record is not byte for byte one that producer sent
     */
    static Sent parse(LogRecord r) {
        String value = new String(r.record().value(), US_ASCII);
        String[] f = value.split("/", 3);
        assertThat(f).as("record at offset %d: %s", r.offset(), value).hasSize(3);
        Sent s = new Sent(Long.parseUnsignedLong(f[0], 16), Integer.parseInt(f[1]));
        assertThat(r.record()).as("record at offset %d is what producer %s sent as %d", r.offset(),
                f[0], s.seq()).isEqualTo(record(s.producerId(), s.seq()));
        return s;
    }

    /** What every value starts with: {@code <hex id>/<seq>/}. */
    static String tag(long producerId, int seq) {
        return hex(producerId) + "/" + seq + "/";
    }

    static String hex(long producerId) {
        return Long.toHexString(producerId);
    }

    /**
     * Checks a whole partition read from offset 0: offsets are contiguous from 0; every record is one that was
     * sent; each producer's records appear exactly once each and in order, with sequence numbers 0 to
     * {@code endSeq - 1} ({@code expected} maps producer ids to {@code endSeq}; no other producer appears); every
     * acknowledged batch is at the offsets it was acknowledged with.
     */
    static void verify(List<LogRecord> log, Map<Long, Integer> expected, Collection<Ack> acks) {
        Map<Long, Integer> next = new HashMap<>();
        List<Sent> sent = new ArrayList<>(log.size());
        for (int i = 0; i < log.size(); i++) {
            LogRecord r = log.get(i);
            assertThat(r.offset()).as("offset of record %d", i).isEqualTo(i);
            Sent s = parse(r);
            assertThat(expected).as("producer %s of the record at offset %d", hex(s.producerId()), i)
                    .containsKey(s.producerId());
            int want = next.getOrDefault(s.producerId(), 0);
            assertThat(s.seq()).as("sequence of producer %s at offset %d (a gap or a duplicate if not %d)",
                    hex(s.producerId()), i, want).isEqualTo(want);
            next.put(s.producerId(), want + 1);
            sent.add(s);
        }
        for (Map.Entry<Long, Integer> e : expected.entrySet()) {
            assertThat(next.getOrDefault(e.getKey(), 0)).as("records of producer %s", hex(e.getKey()))
                    .isEqualTo(e.getValue());
        }
        for (Ack a : acks) {
            for (int i = 0; i < a.count(); i++) {
                long offset = a.baseOffset() + i;
                assertThat(offset).as("acknowledged offset of %s", a).isLessThan(log.size());
                assertThat(sent.get((int) offset)).as("record at acknowledged offset %d of %s", offset, a)
                        .isEqualTo(new Sent(a.producerId(), a.firstSeq() + i));
            }
        }
    }

    private static long mix(long a, long b) {
        long z = a * 0x9E3779B97F4A7C15L + b;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
