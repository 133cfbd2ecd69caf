package io.silt.bench;

import io.silt.storage.log.PreparedBatch;
import io.silt.storage.log.ProducerId;
import io.silt.storage.log.segment.EncodedSegment;
import io.silt.storage.log.segment.Record;
import io.silt.storage.log.segment.SegmentConfig;
import io.silt.storage.log.segment.SegmentWriter;
import java.nio.charset.StandardCharsets;
import io.silt.bench.LogBench.Payload;
import java.util.SplittableRandom;

/**
 * Makes producer batches the way a producer would: records of a fixed size, encoded by a {@link SegmentWriter}
 * (CRC32C, compression as configured) into a segment of about the batch size. Values are slices of a pre-generated
 * pool, so generating them costs a copy, not a random number per byte. Not thread-safe: one per producer thread.
 */
final class Workload {
    private static final int POOL_BYTES = 32 << 20;
    private static final String[] WORDS = ("order user id status created shipped pending amount currency EUR USD "
            + "region eu-west-1 us-east-1 item sku price quantity timestamp event click view cart checkout session "
            + "true false null version 1 2 3 42 1000 name value type message level info warn error trace span")
            .split(" ");

    private static volatile byte[] randomPool;
    private static volatile byte[] textPool;

    private final byte[] pool;
    private final int recordBytes;
    private final SegmentConfig config;
    private final SplittableRandom random;
    private final SegmentWriter writer;

    Workload(Payload payload, int recordBytes, SegmentConfig config, long seed) {
        this.pool = pool(payload);
        this.recordBytes = recordBytes;
        this.config = config;
        this.random = new SplittableRandom(seed);
        this.writer = new SegmentWriter(config);
    }

    int recordBytes() {
        return recordBytes;
    }

    /** One record value: a copy of {@code recordBytes} of the pool from a random place. */
    byte[] value() {
        int at = random.nextInt(pool.length - recordBytes);
        byte[] v = new byte[recordBytes];
        System.arraycopy(pool, at, v, 0, recordBytes);
        return v;
    }

    /** Encodes {@code records} records (values only, no keys) into a batch for {@code producer}. */
    PreparedBatch batch(ProducerId producer, int firstSequence, int records) {
        long now = System.currentTimeMillis();
        for (int i = 0; i < records; i++) {
            writer.append(Record.of(null, value(), now));
        }
        EncodedSegment segment = writer.finish();
        return PreparedBatch.of(producer, firstSequence, segment);
    }

    /** How many records of this size make a batch of about {@code batchBytes}. */
    int recordsPerBatch(long batchBytes) {
        return (int) Math.max(1, batchBytes / recordBytes);
    }

    SegmentConfig config() {
        return config;
    }

    private static byte[] pool(Payload payload) {
        return switch (payload) {
            case RANDOM -> {
                byte[] p = randomPool;
                if (p == null) {
                    synchronized (Workload.class) {
                        if (randomPool == null) {
                            byte[] b = new byte[POOL_BYTES];
                            new SplittableRandom(0x5117L).nextBytes(b);
                            randomPool = b;
                        }
                        p = randomPool;
                    }
                }
                yield p;
            }
            case TEXT -> {
                byte[] p = textPool;
                if (p == null) {
                    synchronized (Workload.class) {
                        if (textPool == null) {
                            textPool = text(POOL_BYTES);
                        }
                        p = textPool;
                    }
                }
                yield p;
            }
        };
    }

    private static byte[] text(int size) {
        SplittableRandom r = new SplittableRandom(0x7e47L);
        StringBuilder sb = new StringBuilder(size + 64);
        while (sb.length() < size) {
            sb.append('"').append(WORDS[r.nextInt(WORDS.length)]).append("\":\"").append(WORDS[r.nextInt(WORDS.length)])
                    .append(r.nextInt(100_000)).append("\",");
        }
        sb.setLength(size);
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
