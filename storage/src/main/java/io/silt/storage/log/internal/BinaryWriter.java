package io.silt.storage.log.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32C;

/** A growable big-endian byte buffer for Silt's small binary objects (commit records, checkpoints, metadata). */
public final class BinaryWriter {
    private byte[] buf;
    private int pos;

    public BinaryWriter(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    private void ensure(int n) {
        if (pos + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
        }
    }

    public BinaryWriter u8(int v) {
        ensure(1);
        buf[pos++] = (byte) v;
        return this;
    }

    public BinaryWriter i32(int v) {
        ensure(4);
        buf[pos++] = (byte) (v >>> 24);
        buf[pos++] = (byte) (v >>> 16);
        buf[pos++] = (byte) (v >>> 8);
        buf[pos++] = (byte) v;
        return this;
    }

    public BinaryWriter i64(long v) {
        i32((int) (v >>> 32));
        return i32((int) v);
    }

    public BinaryWriter bytes(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, pos, b.length);
        pos += b.length;
        return this;
    }

    /** A u32 length followed by the bytes. */
    public BinaryWriter blob(byte[] b) {
        i32(b.length);
        return bytes(b);
    }

    /** A UTF-8 string with a u16 length. */
    public BinaryWriter string(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > 0xFFFF) {
            throw new IllegalArgumentException("string too long for the format: " + b.length + " bytes");
        }
        ensure(2 + b.length);
        buf[pos++] = (byte) (b.length >>> 8);
        buf[pos++] = (byte) b.length;
        return bytes(b);
    }

    public int position() {
        return pos;
    }

    /** Appends a CRC32C of everything written so far and returns the finished bytes. */
    public byte[] finishWithCrc() {
        CRC32C crc = new CRC32C();
        crc.update(buf, 0, pos);
        i32((int) crc.getValue());
        return toByteArray();
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, pos);
    }
}
