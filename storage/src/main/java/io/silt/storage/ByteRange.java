package io.silt.storage;

/**
 * A byte range of an object, as in an HTTP {@code Range} header.
 *
 * <p>{@link #of(long, long)} and {@link #from(long)} count from the start; {@link #suffix(long)} takes the last
 * {@code n} bytes. Use {@link #resolve(long)} to get the concrete bounds for an object of a given size.
 */
public final class ByteRange {
    private final long start;   // -1 for a suffix range
    private final long length;  // -1 for open-ended

    private ByteRange(long start, long length) {
        this.start = start;
        this.length = length;
    }

    /** {@code length} bytes starting at {@code start}; both must be positive (length) or non-negative (start). */
    public static ByteRange of(long start, long length) {
        if (start < 0) {
            throw new IllegalArgumentException("range start must be >= 0, was " + start);
        }
        if (length <= 0) {
            throw new IllegalArgumentException("range length must be > 0, was " + length);
        }
        return new ByteRange(start, length);
    }

    /** From {@code start} to the end of the object. */
    public static ByteRange from(long start) {
        if (start < 0) {
            throw new IllegalArgumentException("range start must be >= 0, was " + start);
        }
        return new ByteRange(start, -1);
    }

    /** The last {@code n} bytes (all of them if the object is shorter). */
    public static ByteRange suffix(long n) {
        if (n <= 0) {
            throw new IllegalArgumentException("suffix length must be > 0, was " + n);
        }
        return new ByteRange(-1, n);
    }

    public boolean isSuffix() {
        return start < 0;
    }

    /** The start offset, or -1 for a suffix range. */
    public long start() {
        return start;
    }

    /** The length, or -1 for an open-ended range. */
    public long length() {
        return length;
    }

    /**
     * The concrete {@code [first, lastExclusive)} bounds for an object of {@code size} bytes, cut at the end.
     *
     * @throws InvalidRangeException if the range starts at or past the end of the object (HTTP 416)
     */
    public long[] resolve(String key, long size) {
        if (isSuffix()) {
            long first = Math.max(0, size - length);
            return new long[] {first, size};
        }
        if (start >= size) {
            throw new InvalidRangeException(key, this, size);
        }
        long end = length < 0 ? size : Math.min(size, start + length);
        return new long[] {start, end};
    }

    /** The HTTP {@code Range} header value, e.g. {@code bytes=10-19}, {@code bytes=10-}, {@code bytes=-5}. */
    public String toHttpHeader() {
        if (isSuffix()) {
            return "bytes=-" + length;
        }
        if (length < 0) {
            return "bytes=" + start + "-";
        }
        return "bytes=" + start + "-" + (start + length - 1);
    }

    @Override
    public String toString() {
        return toHttpHeader();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ByteRange r && r.start == start && r.length == length;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(start) * 31 + Long.hashCode(length);
    }
}
