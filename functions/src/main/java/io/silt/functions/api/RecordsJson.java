package io.silt.functions.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.silt.client.internal.Transport.Fetched;
import io.silt.storage.log.segment.Header;
import io.silt.storage.log.segment.Record;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Records in JSON (RFC 0009): keys, values and header values as base64, or as UTF-8 text with
 * {@code "encoding": "utf8"}. Header values follow the same encoding; {@code null} stays {@code null}.
 */
final class RecordsJson {
    private RecordsJson() {}

    /** How bytes travel in JSON. */
    enum Encoding {
        BASE64, UTF8;

        static Encoding of(String name) {
            if (name == null || name.equals("base64")) {
                return BASE64;
            }
            if (name.equals("utf8")) {
                return UTF8;
            }
            throw ApiErrors.invalid("encoding must be \"base64\" or \"utf8\", was \"" + name + "\"");
        }

        byte[] decode(JsonNode n, String where) {
            if (n == null || n.isNull()) {
                return null;
            }
            if (!n.isTextual()) {
                throw ApiErrors.invalid(where + " must be a string or null");
            }
            if (this == UTF8) {
                return n.textValue().getBytes(StandardCharsets.UTF_8);
            }
            try {
                return Base64.getDecoder().decode(n.textValue());
            } catch (IllegalArgumentException e) {
                throw ApiErrors.invalid(where + " is not valid base64 (" + e.getMessage()
                        + "); send \"encoding\":\"utf8\" for text");
            }
        }

        /** The bytes as text; with utf8, bytes that are not UTF-8 come out as U+FFFD. */
        String encode(byte[] b) {
            if (b == null) {
                return null;
            }
            return this == UTF8 ? new String(b, StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(b);
        }
    }

    /** A record of a produce request and the partition it asked for, or {@code null}. */
    record Produced(Integer partition, Record record) {}

    /** Parses a JSON body; throws 400 problems naming what is wrong. */
    static JsonNode parse(ObjectMapper json, byte[] body) {
        if (body == null || body.length == 0) {
            throw ApiErrors.invalid("the request has no body; send a JSON object");
        }
        try {
            JsonNode n = json.readTree(body);
            if (n == null || !n.isObject()) {
                throw ApiErrors.invalid("the body must be a JSON object");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw ApiErrors.invalid("malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiErrors.invalid("unreadable body: " + e.getMessage());
        }
    }

    /** The records of a produce body; {@code now} stamps records without a timestamp. */
    static List<Produced> produced(JsonNode body, long now) {
        Encoding enc = Encoding.of(body.hasNonNull("encoding") ? body.get("encoding").asText() : null);
        JsonNode records = body.get("records");
        if (records == null || !records.isArray() || records.isEmpty()) {
            throw ApiErrors.invalid("\"records\" must be a non-empty array");
        }
        List<Produced> out = new ArrayList<>(records.size());
        int i = 0;
        for (JsonNode r : records) {
            String where = "records[" + i + "]";
            if (!r.isObject()) {
                throw ApiErrors.invalid(where + " must be an object");
            }
            byte[] key = enc.decode(r.get("key"), where + ".key");
            byte[] value = enc.decode(r.get("value"), where + ".value");
            List<Header> headers = new ArrayList<>();
            JsonNode h = r.get("headers");
            if (h != null && !h.isNull()) {
                if (!h.isObject()) {
                    throw ApiErrors.invalid(where + ".headers must be an object of name to value");
                }
                for (Iterator<Map.Entry<String, JsonNode>> it = h.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    headers.add(new Header(e.getKey(), enc.decode(e.getValue(), where + ".headers." + e.getKey())));
                }
            }
            long timestamp = now;
            JsonNode t = r.get("timestamp");
            if (t != null && !t.isNull()) {
                if (!t.canConvertToLong() || t.asLong() < 0) {
                    throw ApiErrors.invalid(where + ".timestamp must be epoch milliseconds >= 0 or null");
                }
                timestamp = t.asLong();
            }
            Integer partition = null;
            JsonNode p = r.get("partition");
            if (p != null && !p.isNull()) {
                if (!p.canConvertToInt() || p.asInt() < 0) {
                    throw ApiErrors.invalid(where + ".partition must be a partition number >= 0 or null");
                }
                partition = p.asInt();
            }
            out.add(new Produced(partition, new Record(key, value, headers, timestamp)));
            i++;
        }
        return out;
    }

    /** Fetched records as JSON. */
    static ArrayNode fetched(ObjectMapper json, List<Fetched> records, Encoding enc) {
        ArrayNode out = json.createArrayNode();
        for (Fetched f : records) {
            ObjectNode r = out.addObject();
            r.put("offset", f.offset());
            r.put("timestamp", f.record().timestamp());
            r.put("key", enc.encode(f.record().key()));
            r.put("value", enc.encode(f.record().value()));
            ObjectNode headers = r.putObject("headers");
            for (Header h : f.record().headers()) {
                headers.put(h.name(), enc.encode(h.value()));
            }
        }
        return out;
    }

    /** The bytes a record carries (key, value, header names and values), for metrics. */
    static long bytes(Record r) {
        long n = length(r.key()) + length(r.value());
        for (Header h : r.headers()) {
            n += h.name().length() + length(h.value());
        }
        return n;
    }

    private static int length(byte[] b) {
        return b == null ? 0 : b.length;
    }
}
