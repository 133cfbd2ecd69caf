package io.silt.storage.internal;

import io.silt.storage.InvalidKeyException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Maps object keys to paths under a root directory, and directory entry names back to key segments.
 *
 * <p>Each key segment (the text between {@code /}) is percent-encoded: the bytes {@code [A-Za-z0-9._-]} of its
 * UTF-8 form are kept, every other byte (including {@code %} and {@code ~}) becomes {@code %XX} with upper-case
 * hex. An encoded name therefore never contains {@code ~}, never contains {@code /}, and never is {@code .} or
 * {@code ..} (those segments are invalid keys). The last segment of a key names a file; every other segment names
 * a directory whose name is the encoded segment plus {@value #DIR_SUFFIX}. So {@code a/b} is the file
 * {@code a~d/b} and {@code a/b/c} the file {@code a~d/b~d/c}: a key and keys below it coexist, and no key can
 * name a path outside the root. Names containing {@code ~} that are not directory names (such as
 * {@value #TEMP_DIR}) are free for the store's own use.
 *
 * <p>Limits of this mapping (of the filesystem store, not of object keys in general): an encoded segment is at
 * most {@value #MAX_ENCODED_SEGMENT} bytes (file names are limited to 255 bytes), and a whole path at most
 * {@value #MAX_PATH_BYTES} bytes (Linux {@code PATH_MAX}). The mapping is case-sensitive, as Linux filesystems are.
 */
public final class FsKeyCodec {
    /** The suffix of a directory name; it cannot end an encoded segment. */
    public static final String DIR_SUFFIX = "~d";
    /** The root entry reserved for temporary files; it is never a valid encoded name. */
    public static final String TEMP_DIR = "~tmp";
    /** The longest encoded segment accepted; leaves room for {@link #DIR_SUFFIX} below the 255-byte name limit. */
    public static final int MAX_ENCODED_SEGMENT = 240;
    /** The longest absolute path accepted (Linux {@code PATH_MAX} is 4096 including the terminating NUL). */
    public static final int MAX_PATH_BYTES = 4095;

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private FsKeyCodec() {}

    /** Whether a UTF-8 byte is kept as it is in an encoded name. */
    static boolean isSafe(int b) {
        return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')
                || b == '.' || b == '_' || b == '-';
    }

    /**
     * Encodes one key segment as a file name.
     *
     * @throws InvalidKeyException if the encoded name is longer than {@value #MAX_ENCODED_SEGMENT} bytes
     */
    public static String encodeSegment(String key, String segment) {
        String encoded = encodeOrNull(segment);
        if (encoded == null) {
            throw new InvalidKeyException("object key '" + key + "' has a segment of "
                    + segment.getBytes(StandardCharsets.UTF_8).length + " UTF-8 bytes that encodes to a file name"
                    + " longer than " + MAX_ENCODED_SEGMENT + " bytes; this is a limit of the filesystem store"
                    + " (file names are at most 255 bytes), not of object keys: use shorter segments between '/'");
        }
        return encoded;
    }

    /** Encodes one segment, or returns {@code null} if the result is too long. */
    static String encodeOrNull(String segment) {
        byte[] utf8 = segment.getBytes(StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder(utf8.length + 8);
        for (byte value : utf8) {
            int b = value & 0xff;
            if (isSafe(b)) {
                sb.append((char) b);
            } else {
                sb.append('%').append(HEX[b >>> 4]).append(HEX[b & 0xf]);
            }
            if (sb.length() > MAX_ENCODED_SEGMENT) {
                return null;
            }
        }
        return sb.toString();
    }

    /**
     * Decodes a file name back to its key segment, or returns {@code null} if the name is not exactly what
     * {@link #encodeSegment} produces for some segment (so stray files are ignored rather than misread).
     */
    public static String decodeSegment(String name) {
        if (name.isEmpty() || name.length() > MAX_ENCODED_SEGMENT) {
            return null;
        }
        ByteBuffer bytes = ByteBuffer.allocate(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '%') {
                if (i + 2 >= name.length()) {
                    return null;
                }
                int hi = hexValue(name.charAt(i + 1));
                int lo = hexValue(name.charAt(i + 2));
                if (hi < 0 || lo < 0) {
                    return null;
                }
                int b = (hi << 4) | lo;
                if (isSafe(b)) {
                    return null; // not canonical: a safe byte is never encoded
                }
                bytes.put((byte) b);
                i += 2;
            } else if (c < 0x80 && isSafe(c)) {
                bytes.put((byte) c);
            } else {
                return null;
            }
        }
        bytes.flip();
        String segment;
        try {
            segment = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes)
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
        if (segment.equals(".") || segment.equals("..") || segment.indexOf('/') >= 0) {
            return null;
        }
        return segment;
    }

    /** Decodes a directory name (an encoded segment plus {@value #DIR_SUFFIX}), or {@code null} if it is not one. */
    public static String decodeDirectory(String name) {
        if (!name.endsWith(DIR_SUFFIX)) {
            return null;
        }
        return decodeSegment(name.substring(0, name.length() - DIR_SUFFIX.length()));
    }

    /** The directory name for a segment. */
    public static String directoryName(String key, String segment) {
        return encodeSegment(key, segment) + DIR_SUFFIX;
    }

    /**
     * The file that holds the object {@code key}, which must already be a {@linkplain
     * io.silt.storage.ObjectKeys#validate valid key}.
     *
     * @throws InvalidKeyException if a segment or the whole path is too long for the filesystem
     */
    public static Path objectPath(Path root, String key) {
        String[] segments = key.split("/", -1);
        Path p = root;
        for (int i = 0; i < segments.length - 1; i++) {
            p = p.resolve(directoryName(key, segments[i]));
        }
        p = p.resolve(encodeSegment(key, segments[segments.length - 1]));
        int pathBytes = p.toString().getBytes(StandardCharsets.UTF_8).length;
        if (pathBytes > MAX_PATH_BYTES) {
            throw new InvalidKeyException("object key '" + key + "' maps to a path of " + pathBytes
                    + " bytes; the filesystem store's limit is " + MAX_PATH_BYTES
                    + " (PATH_MAX): use a shorter key or a shorter root directory");
        }
        return p;
    }

    /**
     * The directory for the folder-like prefix made of {@code segments} (all but the partial last segment of a
     * listing prefix), or {@code null} if some segment is too long to exist in this store.
     */
    public static Path directoryPath(Path root, String[] segments, int count) {
        Path p = root;
        for (int i = 0; i < count; i++) {
            String encoded = encodeOrNull(segments[i]);
            if (encoded == null) {
                return null;
            }
            p = p.resolve(encoded + DIR_SUFFIX);
        }
        return p;
    }

    private static int hexValue(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1; // lower-case hex is not canonical
    }
}
