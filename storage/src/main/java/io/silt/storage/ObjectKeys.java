package io.silt.storage;

import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.Map;

/** The rules for object keys and user metadata that every store enforces the same way. */
public final class ObjectKeys {
    /** S3's limit on a key's length in UTF-8 bytes. */
    public static final int MAX_KEY_BYTES = 1024;
    /** S3's limit on the total size of user metadata (keys and values). */
    public static final int MAX_METADATA_BYTES = 2048;

    /** Orders keys by their UTF-8 bytes, as S3 lists them. */
    public static final Comparator<String> ORDER = ObjectKeys::compareUtf8;

    private ObjectKeys() {}

    /**
     * Checks a key: non-empty, at most {@value #MAX_KEY_BYTES} UTF-8 bytes, no control characters, no leading
     * {@code /}, and no empty, {@code .} or {@code ..} segments (so that no key can name a path outside its prefix
     * on a filesystem, and keys mean the same on every store).
     *
     * @throws InvalidKeyException naming the rule that is broken
     */
    public static String validate(String key) {
        if (key == null || key.isEmpty()) {
            throw new InvalidKeyException("object key is empty");
        }
        int bytes = key.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_KEY_BYTES) {
            throw new InvalidKeyException("object key is " + bytes + " bytes long; the limit is " + MAX_KEY_BYTES
                    + " (key starts with '" + printable(key.substring(0, 40)) + "')");
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (Character.isISOControl(c)) {
                throw new InvalidKeyException("object key '" + printable(key) + "' contains control character U+"
                        + String.format("%04X", (int) c) + " at index " + i);
            }
            if (Character.isSurrogate(c)) {
                boolean paired = Character.isHighSurrogate(c) && i + 1 < key.length()
                        && Character.isLowSurrogate(key.charAt(i + 1));
                if (!paired) {
                    throw new InvalidKeyException("object key '" + printable(key)
                            + "' contains an unpaired surrogate at index " + i);
                }
                i++;
            }
        }
        if (key.startsWith("/")) {
            throw new InvalidKeyException("object key '" + key + "' starts with '/'");
        }
        for (String segment : key.split("/", -1)) {
            if (segment.isEmpty() && !key.endsWith("/")) {
                throw new InvalidKeyException("object key '" + key + "' has an empty segment ('//')");
            }
            if (segment.equals(".") || segment.equals("..")) {
                throw new InvalidKeyException("object key '" + key + "' has a '" + segment + "' segment");
            }
        }
        if (key.endsWith("/")) {
            throw new InvalidKeyException("object key '" + key + "' ends with '/'; that names a folder, not an object");
        }
        return key;
    }

    /**
     * Checks a key prefix for listing: like a key, but it may be empty and may end with {@code /}.
     */
    public static String validatePrefix(String prefix) {
        if (prefix == null || prefix.isEmpty()) {
            return "";
        }
        String probe = prefix.endsWith("/") ? prefix + "x" : prefix;
        try {
            validate(probe);
        } catch (InvalidKeyException e) {
            throw new InvalidKeyException("invalid prefix '" + printable(prefix) + "': " + e.getMessage());
        }
        return prefix;
    }

    /**
     * Checks user metadata: keys {@code [a-z0-9-]+}, values printable ASCII, at most {@value #MAX_METADATA_BYTES}
     * bytes in all (S3 keeps metadata keys in lower case and values as US-ASCII).
     */
    public static Map<String, String> validateMetadata(Map<String, String> metadata) {
        int total = 0;
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            String k = e.getKey();
            String v = e.getValue();
            if (k == null || k.isEmpty() || !k.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
                throw new InvalidKeyException("metadata key '" + (k == null ? "null" : printable(k))
                        + "' must be non-empty lower-case ASCII letters, digits or '-'");
            }
            if (v == null || !v.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
                throw new InvalidKeyException("metadata value for '" + k + "' must be printable ASCII");
            }
            total += k.length() + v.length();
        }
        if (total > MAX_METADATA_BYTES) {
            throw new InvalidKeyException("metadata is " + total + " bytes; the limit is " + MAX_METADATA_BYTES);
        }
        return metadata;
    }

    /** Compares two strings by their UTF-8 encodings (code point order), which is how S3 orders keys. */
    public static int compareUtf8(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        s.codePoints().forEach(c -> {
            if (Character.isISOControl(c)) {
                sb.append(String.format("\\u%04x", c));
            } else {
                sb.appendCodePoint(c);
            }
        });
        return sb.toString();
    }
}
