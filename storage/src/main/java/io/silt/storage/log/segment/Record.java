package io.silt.storage.log.segment;

import java.util.Arrays;
import java.util.List;

/**
 * One message as stored in a segment: key, value, headers and a timestamp. Its offset is not part of it: a segment
 * only knows a record's position relative to the segment, and the commit log assigns offsets later.
 *
 * <p>Arrays are not copied (that would cost a copy per record on the hot path): do not change them after handing
 * them over, and do not change the arrays a reader returns. {@link #equals(Object)} and {@link #hashCode()} compare
 * the arrays' contents.
 *
 * @param key the key, or {@code null}
 * @param value the value, or {@code null} (a tombstone); an empty array is distinct from {@code null}
 * @param headers the headers, in order; {@code null} means none
 * @param timestamp milliseconds since the epoch, {@code >= 0}
 */
public record Record(byte[] key, byte[] value, List<Header> headers, long timestamp) {

    public Record {
        headers = headers == null || headers.isEmpty() ? List.of() : List.copyOf(headers);
        if (timestamp < 0) {
            throw new IllegalArgumentException("record timestamp must be >= 0 (epoch millis), was " + timestamp);
        }
    }

    /** A record without headers. */
    public static Record of(byte[] key, byte[] value, long timestamp) {
        return new Record(key, value, List.of(), timestamp);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Record r
                && r.timestamp == timestamp
                && Arrays.equals(r.key, key)
                && Arrays.equals(r.value, value)
                && r.headers.equals(headers);
    }

    @Override
    public int hashCode() {
        int h = Arrays.hashCode(key);
        h = h * 31 + Arrays.hashCode(value);
        h = h * 31 + headers.hashCode();
        return h * 31 + Long.hashCode(timestamp);
    }

    @Override
    public String toString() {
        return "Record[key=" + describe(key) + ", value=" + describe(value) + ", headers=" + headers
                + ", timestamp=" + timestamp + "]";
    }

    private static String describe(byte[] b) {
        return b == null ? "null" : b.length + " bytes";
    }
}
