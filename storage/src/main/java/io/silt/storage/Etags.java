package io.silt.storage;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** ETag helpers shared by the local stores. */
final class Etags {
    private Etags() {}

    /** The MD5 of the bytes in lower-case hex, as S3 computes the ETag of a single-part upload. */
    static String md5Hex(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is not available", e);
        }
    }
}
