package io.silt.storage;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** ETag helpers shared by the local stores. */
final class Etags {
    private Etags() {}

    /** The CRC32C of the bytes, 8 hex digits. */
    static String crc32cHex(byte[] data) {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(data, 0, data.length);
        return String.format("%08x", crc.getValue());
    }

    /** Write numbers unique to this process run: its pid, start time and a counter. */
    static final class WriteIds {
        private final String prefix = Long.toHexString(ProcessHandle.current().pid()) + "."
                + Long.toHexString(System.currentTimeMillis());
        private final java.util.concurrent.atomic.AtomicLong counter = new java.util.concurrent.atomic.AtomicLong();

        String next() {
            return prefix + "." + Long.toHexString(counter.incrementAndGet());
        }
    }

    /** The MD5 of the bytes in lower-case hex, as S3 computes the ETag of a single-part upload. */
    static String md5Hex(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is not available", e);
        }
    }
}
