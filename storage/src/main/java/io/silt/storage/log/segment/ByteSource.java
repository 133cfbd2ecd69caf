package io.silt.storage.log.segment;

/**
 * A bounded read cursor over part of a byte array. Every read checks the remaining bytes first and throws
 * {@link Malformed} instead of reading past the limit. Positions in errors are {@code base + index into the array}.
 */
final class ByteSource {
    private final byte[] buf;
    private final long base;
    private int pos;
    private int limit;

    /**
     * @param base what to add to an array index to get the position reported in errors
     */
    ByteSource(byte[] buf, int from, int limit, long base) {
        this.buf = buf;
        this.pos = from;
        this.limit = limit;
        this.base = base;
    }

    int position() {
        return pos;
    }

    void position(int newPos) {
        pos = newPos;
    }

    int limit() {
        return limit;
    }

    void limit(int newLimit) {
        limit = newLimit;
    }

    int remaining() {
        return limit - pos;
    }

    byte[] array() {
        return buf;
    }

    Malformed error(String problem) {
        return new Malformed(base + pos, problem);
    }

    Malformed errorAt(int index, String problem) {
        return new Malformed(base + index, problem);
    }

    /** An unsigned varint that must fit in 31 bits (a length or a count). */
    int readUnsignedVarint(String what) {
        int start = pos;
        int result = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            if (pos >= limit) {
                throw errorAt(start, "truncated varint (" + what + ")");
            }
            int b = buf[pos++];
            if (shift == 28 && (b & 0xF0) != 0) {
                throw errorAt(start, "varint too large (" + what + ")");
            }
            result |= (b & 0x7F) << shift;
            if (b >= 0) {
                if (result < 0) {
                    throw errorAt(start, "negative " + what + " " + result);
                }
                return result;
            }
        }
        throw errorAt(start, "varint too long (" + what + ")");
    }

    /** A zigzag varint: a signed int. */
    int readSignedVarint(String what) {
        int start = pos;
        long raw = readRawVarint(what, start, 5);
        if (raw > 0xFFFFFFFFL) {
            throw errorAt(start, "varint too large (" + what + ")");
        }
        return Varints.unzigzag((int) raw);
    }

    /** A zigzag varlong: a signed long. */
    long readSignedVarlong(String what) {
        int start = pos;
        return Varints.unzigzag(readRawVarint(what, start, 10));
    }

    private long readRawVarint(String what, int start, int maxBytes) {
        long result = 0;
        for (int i = 0; i < maxBytes; i++) {
            if (pos >= limit) {
                throw errorAt(start, "truncated varint (" + what + ")");
            }
            int b = buf[pos++];
            if (i == 9 && (b & 0xFE) != 0) {
                throw errorAt(start, "varint too large (" + what + ")");
            }
            result |= (long) (b & 0x7F) << (7 * i);
            if (b >= 0) {
                return result;
            }
        }
        throw errorAt(start, "varint too long (" + what + ")");
    }

    /**
     * A length written as a zigzag varint where -1 means {@code null}; returns -1 or a length that fits in the
     * remaining bytes.
     */
    int readNullableLength(String what) {
        int start = pos;
        int n = readSignedVarint(what + " length");
        if (n < -1) {
            throw errorAt(start, "negative " + what + " length " + n);
        }
        if (n > remaining()) {
            throw errorAt(start, what + " length " + n + " exceeds the " + remaining() + " bytes left in the record");
        }
        return n;
    }

    /** Copies {@code n} bytes out (n was checked against {@link #remaining()}). */
    byte[] readBytes(int n) {
        byte[] out = new byte[n];
        System.arraycopy(buf, pos, out, 0, n);
        pos += n;
        return out;
    }
}
