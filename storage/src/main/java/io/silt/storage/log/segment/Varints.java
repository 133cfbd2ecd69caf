package io.silt.storage.log.segment;

/**
 * Unsigned LEB128 varints (7 bits per byte, least significant group first, high bit = more) and zigzag encoding for
 * signed values. Reading is done by {@link ByteSource}, which bounds every read.
 */
final class Varints {
    static final int MAX_INT_BYTES = 5;
    static final int MAX_LONG_BYTES = 10;

    private Varints() {}

    static int zigzag(int v) {
        return (v << 1) ^ (v >> 31);
    }

    static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    static int unzigzag(int v) {
        return (v >>> 1) ^ -(v & 1);
    }

    static long unzigzag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }

    /** The encoded size of {@code v} taken as unsigned. */
    static int sizeOf(int v) {
        return (31 - Integer.numberOfLeadingZeros(v | 1)) / 7 + 1;
    }

    /** The encoded size of {@code v} taken as unsigned. */
    static int sizeOf(long v) {
        return (63 - Long.numberOfLeadingZeros(v | 1)) / 7 + 1;
    }

    static int putVarint(byte[] b, int pos, int v) {
        while ((v & ~0x7F) != 0) {
            b[pos++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        b[pos++] = (byte) v;
        return pos;
    }

    static int putVarlong(byte[] b, int pos, long v) {
        while ((v & ~0x7FL) != 0) {
            b[pos++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        b[pos++] = (byte) v;
        return pos;
    }
}
