package io.silt.storage.log;

import io.silt.storage.ObjectData;
import io.silt.storage.ObjectStore;
import io.silt.storage.log.internal.BinaryReader;
import io.silt.storage.log.internal.BinaryWriter;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A starting point for finding a partition's newest checkpoint and commit record: a plain PUT to {@code head},
 * written now and then. Never trusted: a reader always probes forward from it, and a missing, stale or corrupt hint
 * only costs a few more probes (DESIGN rule 7).
 */
public record HeadHint(long checkpoint, long commitSeq) {
    static final byte[] MAGIC = "SLTH".getBytes(StandardCharsets.US_ASCII);
    static final int FORMAT_VERSION = 1;
    public static final HeadHint NONE = new HeadHint(0, 0);

    public static String key(String partitionPrefix) {
        return partitionPrefix + "head";
    }

    /** Reads the hint; {@link #NONE} if it is missing, unreadable or from a newer Silt. */
    public static HeadHint read(ObjectStore store, String partitionPrefix) {
        Optional<ObjectData> data = store.get(key(partitionPrefix));
        if (data.isEmpty()) {
            return NONE;
        }
        try {
            BinaryReader r = BinaryReader.withCrc(data.get().bytes(), data.get().key(), "head hint");
            r.expectMagic(MAGIC, "head hint");
            if (r.u8("version") != FORMAT_VERSION) {
                return NONE;
            }
            return new HeadHint(r.nonNegative("checkpoint"), r.nonNegative("commit seq"));
        } catch (LogException e) {
            return NONE;
        }
    }

    public void write(ObjectStore store, String partitionPrefix) {
        store.put(key(partitionPrefix), new BinaryWriter(32).bytes(MAGIC).u8(FORMAT_VERSION).i64(checkpoint)
                .i64(commitSeq).finishWithCrc());
    }
}
