package io.silt.storage.log.segment;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Big-endian fixed-width reads and writes on byte arrays. Callers check bounds first. */
final class Bytes {
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private Bytes() {}

    static int u8(byte[] b, int pos) {
        return b[pos] & 0xFF;
    }

    static int u16(byte[] b, int pos) {
        return (short) SHORT.get(b, pos) & 0xFFFF;
    }

    static int i32(byte[] b, int pos) {
        return (int) INT.get(b, pos);
    }

    static long i64(byte[] b, int pos) {
        return (long) LONG.get(b, pos);
    }

    static void putU16(byte[] b, int pos, int v) {
        SHORT.set(b, pos, (short) v);
    }

    static void putI32(byte[] b, int pos, int v) {
        INT.set(b, pos, v);
    }

    static void putI64(byte[] b, int pos, long v) {
        LONG.set(b, pos, v);
    }

    /** The magic as text for messages, e.g. {@code "SLTB"} or {@code 0x00ff1234}. */
    static String describeMagic(int magic) {
        StringBuilder sb = new StringBuilder(4);
        for (int shift = 24; shift >= 0; shift -= 8) {
            int c = (magic >>> shift) & 0xFF;
            if (c < 0x20 || c > 0x7E) {
                return String.format("0x%08x", magic);
            }
            sb.append((char) c);
        }
        return "\"" + sb + "\"";
    }
}
