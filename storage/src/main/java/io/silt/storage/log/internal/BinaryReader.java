package io.silt.storage.log.internal;

import io.silt.storage.log.CorruptObjectException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Reads what {@link BinaryWriter} wrote, checking every length against the bytes that remain, so a corrupt or
 * hostile object produces a {@link CorruptObjectException} naming the key and position, never another exception.
 */
public final class BinaryReader {
    private final byte[] buf;
    private final String key;
    private final int end;
    private int pos;

    private BinaryReader(byte[] buf, String key, int end) {
        this.buf = buf;
        this.key = key;
        this.end = end;
    }

    /** Checks the trailing CRC32C, then reads the bytes before it. */
    public static BinaryReader withCrc(byte[] data, String key, String what) {
        if (data.length < 4) {
            throw new CorruptObjectException(what + " '" + key + "' is truncated: " + data.length + " bytes");
        }
        int bodyEnd = data.length - 4;
        CRC32C crc = new CRC32C();
        crc.update(data, 0, bodyEnd);
        int stored = ((data[bodyEnd] & 0xFF) << 24) | ((data[bodyEnd + 1] & 0xFF) << 16)
                | ((data[bodyEnd + 2] & 0xFF) << 8) | (data[bodyEnd + 3] & 0xFF);
        if ((int) crc.getValue() != stored) {
            throw new CorruptObjectException(what + " '" + key + "' fails its CRC32C check (" + data.length
                    + " bytes): the object is corrupt or truncated");
        }
        return new BinaryReader(data, key, bodyEnd);
    }

    private void need(int n, String field) {
        if (n < 0 || end - pos < n) {
            throw corrupt(field + " needs " + n + " bytes but " + (end - pos) + " remain");
        }
    }

    public CorruptObjectException corrupt(String detail) {
        return new CorruptObjectException("object '" + key + "' is corrupt at byte " + pos + ": " + detail);
    }

    public int u8(String field) {
        need(1, field);
        return buf[pos++] & 0xFF;
    }

    public int i32(String field) {
        need(4, field);
        int v = ((buf[pos] & 0xFF) << 24) | ((buf[pos + 1] & 0xFF) << 16) | ((buf[pos + 2] & 0xFF) << 8)
                | (buf[pos + 3] & 0xFF);
        pos += 4;
        return v;
    }

    /** A non-negative int no larger than {@code max}. */
    public int count(String field, int max) {
        int v = i32(field);
        if (v < 0 || v > max) {
            throw corrupt(field + " is " + v + ", outside 0.." + max);
        }
        return v;
    }

    public long i64(String field) {
        long hi = i32(field) & 0xFFFFFFFFL;
        long lo = i32(field) & 0xFFFFFFFFL;
        return (hi << 32) | lo;
    }

    /** A non-negative long. */
    public long nonNegative(String field) {
        long v = i64(field);
        if (v < 0) {
            throw corrupt(field + " is negative: " + v);
        }
        return v;
    }

    public byte[] bytes(int n, String field) {
        need(n, field);
        byte[] out = Arrays.copyOfRange(buf, pos, pos + n);
        pos += n;
        return out;
    }

    public byte[] blob(String field) {
        int n = i32(field);
        return bytes(n, field);
    }

    public String string(String field) {
        need(2, field);
        int n = ((buf[pos] & 0xFF) << 8) | (buf[pos + 1] & 0xFF);
        pos += 2;
        need(n, field);
        String s = new String(buf, pos, n, StandardCharsets.UTF_8);
        pos += n;
        return s;
    }

    public void expectMagic(byte[] magic, String what) {
        need(magic.length, "magic");
        for (int i = 0; i < magic.length; i++) {
            if (buf[pos + i] != magic[i]) {
                throw corrupt("not a " + what + " (bad magic)");
            }
        }
        pos += magic.length;
    }

    public void expectEnd() {
        if (pos != end) {
            throw corrupt((end - pos) + " unexpected trailing bytes");
        }
    }

    public String key() {
        return key;
    }
}
