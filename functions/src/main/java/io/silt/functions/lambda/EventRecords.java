package io.silt.functions.lambda;

import io.silt.client.InvalidRequestException;
import io.silt.storage.log.segment.Header;
import io.silt.storage.log.segment.Record;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Record keys, values and header values in Lambda events: base64 text by default, UTF-8 text when the event says
 * {@code "encoding": "utf8"} (the same convention as the REST API, RFC 0009).
 */
final class EventRecords {
    private EventRecords() {}

    /** How bytes travel as JSON strings. */
    enum Encoding {
        BASE64, UTF8;

        static Encoding of(String name) {
            if (name == null || name.isBlank()) {
                return BASE64;
            }
            return switch (name.toLowerCase(Locale.ROOT)) {
                case "base64" -> BASE64;
                case "utf8", "utf-8" -> UTF8;
                default -> throw new InvalidRequestException("encoding must be base64 or utf8, not '" + name + "'");
            };
        }

        byte[] decode(String text, String what) {
            if (text == null) {
                return null;
            }
            if (this == UTF8) {
                return text.getBytes(StandardCharsets.UTF_8);
            }
            try {
                return Base64.getDecoder().decode(text);
            } catch (IllegalArgumentException e) {
                throw new InvalidRequestException(what + " is not valid base64 (send \"encoding\":\"utf8\" for text)");
            }
        }

        String encode(byte[] bytes) {
            if (bytes == null) {
                return null;
            }
            return this == UTF8 ? new String(bytes, StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(bytes);
        }
    }

    /** The record an event item describes; {@code timestamp} null means now. */
    static Record toRecord(Encoding encoding, String key, String value, Map<String, String> headers, Long timestamp,
                           long now) {
        List<Header> hs = new ArrayList<>();
        if (headers != null) {
            headers.forEach((name, v) -> hs.add(new Header(name, encoding.decode(v, "header " + name))));
        }
        return new Record(encoding.decode(key, "key"), encoding.decode(value, "value"), hs,
                timestamp == null ? now : timestamp);
    }

    /** Headers as a JSON object, values encoded like keys and values. */
    static Map<String, String> headers(Encoding encoding, List<Header> headers) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Header h : headers) {
            out.put(h.name(), encoding.encode(h.value()));
        }
        return out;
    }

    /** Bytes a record carries (key, value, header names and values), for the metrics. */
    static long size(Record r) {
        long n = (r.key() == null ? 0 : r.key().length) + (r.value() == null ? 0 : r.value().length);
        for (Header h : r.headers()) {
            n += h.name().length() + (h.value() == null ? 0 : h.value().length);
        }
        return n;
    }
}
