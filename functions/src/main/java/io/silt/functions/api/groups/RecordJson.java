package io.silt.functions.api.groups;

import io.silt.client.Header;
import io.silt.client.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How record keys, values and header values travel in JSON answers (RFC 0009): base64 by default, or UTF-8 text
 * when the request asks for {@code encoding=utf8}. Shared by the group fetch and the queue receive routes.
 */
public final class RecordJson {
    private RecordJson() {}

    /** The encoding of bytes in a JSON answer. */
    public enum Encoding {
        BASE64, UTF8;

        /**
         * {@code base64} (also for {@code null}) or {@code utf8}.
         *
         * @throws InvalidRequestException for anything else
         */
        public static Encoding parse(String name) {
            if (name == null || name.equalsIgnoreCase("base64")) {
                return BASE64;
            }
            if (name.equalsIgnoreCase("utf8") || name.toLowerCase(Locale.ROOT).equals("utf-8")) {
                return UTF8;
            }
            throw new InvalidRequestException("encoding must be base64 or utf8, not '" + name + "'");
        }

        /** {@code bytes} as a JSON string in this encoding; {@code null} stays {@code null}. */
        public String encode(byte[] bytes) {
            if (bytes == null) {
                return null;
            }
            return this == BASE64 ? Base64.getEncoder().encodeToString(bytes)
                    : new String(bytes, StandardCharsets.UTF_8);
        }

        /** Headers as a JSON object, name to encoded value (a later header of the same name wins). */
        public Map<String, String> headers(List<Header> headers) {
            Map<String, String> out = new LinkedHashMap<>();
            for (Header h : headers) {
                out.put(h.name(), encode(h.value()));
            }
            return out;
        }
    }
}
