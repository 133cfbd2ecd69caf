package io.silt.functions.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads keys from configuration. Two sources, both optional, combined:
 *
 * <p>{@code silt.auth.keys} (env {@code SILT_AUTH_KEYS}): entries separated by whitespace, each
 * {@code name:secret:grants} with grants {@code produce=orders,logs;consume=*;admin=;groups=billing-*}. The secret
 * may be given as {@code sha256:<64 hex digits>} so the configuration holds no usable secret. A grant lists topic
 * names ({@code groups}: consumer group names), {@code *} for all, {@code prefix*} for a prefix; an absent or empty
 * grant allows nothing.
 *
 * <p>{@code silt.auth.keys-file}: a JSON file
 * <pre>{"keys":[{"name":"app","secret":"..." or "secretSha256":"hex","produce":["orders"],"consume":["*"],
 *   "admin":[],"groups":["billing"]}]}</pre>
 *
 * Errors name the entry by its key name or position, never by its secret.
 */
public final class KeyParser {
    private KeyParser() {}

    /** Parses the {@code silt.auth.keys} text. */
    public static List<ApiKey> parseSpec(String spec) {
        List<ApiKey> keys = new ArrayList<>();
        int n = 0;
        for (String entry : spec.strip().split("\\s+")) {
            n++;
            if (entry.isEmpty()) {
                continue;
            }
            int first = entry.indexOf(':');
            int last = entry.lastIndexOf(':');
            if (first <= 0 || last == first) {
                throw new IllegalArgumentException("silt.auth.keys entry " + n
                        + " is not name:secret:grants (e.g. app:s3cret:produce=orders;consume=*)");
            }
            String name = entry.substring(0, first);
            String secret = entry.substring(first + 1, last);
            Map<Permission, NamePatterns> topics = new EnumMap<>(Permission.class);
            NamePatterns groups = NamePatterns.NONE;
            for (String grant : entry.substring(last + 1).split(";")) {
                if (grant.isBlank()) {
                    continue;
                }
                int eq = grant.indexOf('=');
                if (eq < 0) {
                    throw new IllegalArgumentException("key '" + name + "': grant '" + grant
                            + "' is not permission=names");
                }
                String what = grant.substring(0, eq).strip().toLowerCase(Locale.ROOT);
                NamePatterns names = NamePatterns.parse(grant.substring(eq + 1));
                if (what.equals("groups")) {
                    groups = names;
                } else {
                    topics.put(permission(name, what), names);
                }
            }
            keys.add(new ApiKey(name, hashOf(name, secret), topics, groups));
        }
        return keys;
    }

    /** Parses a keys file. */
    public static List<ApiKey> parseFile(Path file, ObjectMapper json) throws IOException {
        JsonNode root = json.readTree(Files.readAllBytes(file));
        List<ApiKey> keys = new ArrayList<>();
        int n = 0;
        for (JsonNode k : root.path("keys")) {
            n++;
            String name = k.path("name").asText(null);
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException(file + ": key " + n + " has no name");
            }
            String secret = k.hasNonNull("secretSha256") ? "sha256:" + k.get("secretSha256").asText()
                    : k.path("secret").asText(null);
            if (secret == null) {
                throw new IllegalArgumentException(file + ": key '" + name + "' has neither secret nor secretSha256");
            }
            Map<Permission, NamePatterns> topics = new EnumMap<>(Permission.class);
            for (Permission p : Permission.values()) {
                topics.put(p, names(k.path(p.word())));
            }
            keys.add(new ApiKey(name, hashOf(name, secret), topics, names(k.path("groups"))));
        }
        return keys;
    }

    private static NamePatterns names(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(e -> out.add(e.asText()));
        return new NamePatterns(out);
    }

    private static Permission permission(String key, String word) {
        for (Permission p : Permission.values()) {
            if (p.word().equals(word)) {
                return p;
            }
        }
        throw new IllegalArgumentException("key '" + key + "': unknown permission '" + word
                + "' (use produce, consume, admin or groups)");
    }

    private static byte[] hashOf(String name, String secret) {
        if (secret.startsWith("sha256:")) {
            try {
                byte[] h = HexFormat.of().parseHex(secret.substring("sha256:".length()));
                if (h.length == 32) {
                    return h;
                }
            } catch (IllegalArgumentException e) {
                // reported below
            }
            throw new IllegalArgumentException("key '" + name + "': sha256: must be followed by 64 hex digits");
        }
        if (secret.length() < 8) {
            throw new IllegalArgumentException("key '" + name + "': the secret is shorter than 8 characters");
        }
        return sha256(secret);
    }

    /** The SHA-256 of a presented secret (UTF-8). */
    public static byte[] sha256(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
