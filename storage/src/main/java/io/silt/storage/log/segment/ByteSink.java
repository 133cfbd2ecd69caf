package io.silt.storage.log.segment;

import java.util.Arrays;

/** A growable byte buffer with big-endian and varint writers. Reused across batches; not thread-safe. */
final class ByteSink {
    private byte[] buf;
    private int size;

    ByteSink(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    int size() {
        return size;
    }

    byte[] array() {
        return buf;
    }

    void reset() {
        size = 0;
    }

    /** Makes room for {@code n} more bytes. */
    void ensure(int n) {
        long needed = (long) size + n;
        if (needed > buf.length) {
            if (needed > Integer.MAX_VALUE - 8) {
                throw new IllegalStateException("segment too large: " + needed + " bytes");
            }
            long grown = Math.max(needed, Math.min((long) buf.length * 2, Integer.MAX_VALUE - 8));
            buf = Arrays.copyOf(buf, (int) grown);
        }
    }

    /** Reserves {@code n} bytes (to fill in later) and returns their position. */
    int skip(int n) {
        ensure(n);
        int at = size;
        size += n;
        return at;
    }

    void writeByte(int v) {
        ensure(1);
        buf[size++] = (byte) v;
    }

    void writeU16(int v) {
        ensure(2);
        Bytes.putU16(buf, size, v);
        size += 2;
    }

    void writeI32(int v) {
        ensure(4);
        Bytes.putI32(buf, size, v);
        size += 4;
    }

    void writeI64(long v) {
        ensure(8);
        Bytes.putI64(buf, size, v);
        size += 8;
    }

    void writeBytes(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, size, len);
        size += len;
    }

    void writeVarint(int v) {
        ensure(Varints.MAX_INT_BYTES);
        size = Varints.putVarint(buf, size, v);
    }

    void writeVarlong(long v) {
        ensure(Varints.MAX_LONG_BYTES);
        size = Varints.putVarlong(buf, size, v);
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }
}
