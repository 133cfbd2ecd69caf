package io.silt.client.internal;

import io.silt.client.Header;
import io.silt.client.InvalidRequestException;
import io.silt.client.ProducerRecord;
import io.silt.storage.log.segment.Record;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Turns SDK records into stored ones and sizes them. */
public final class ProducerRecords {
    /** Bytes a record costs beyond its key, value and header bytes: lengths, timestamp, header count. */
    static final int OVERHEAD = 32;
    /** Bytes a header costs beyond its name and value. */
    static final int HEADER_OVERHEAD = 10;

    private ProducerRecords() {}

    /**
     * The size counted against {@code max.request.size}, {@code batch.size} and {@code buffer.memory}: key, value,
     * header names (UTF-8) and values, plus {@value #OVERHEAD} bytes per record and {@value #HEADER_OVERHEAD} per
     * header. It is never less than the record's encoded size in a segment, so a record accepted here is never
     * refused by the segment writer.
     */
    public static long sizeOf(ProducerRecord r) {
        long size = OVERHEAD + length(r.key()) + length(r.value());
        for (Header h : r.headers()) {
            size += HEADER_OVERHEAD + h.name().getBytes(StandardCharsets.UTF_8).length + length(h.value());
        }
        return size;
    }

    /**
     * The stored form of {@code r}, stamped {@code timestamp}.
     *
     * @throws InvalidRequestException if a header name cannot be stored (an unpaired surrogate)
     */
    public static Record toRecord(ProducerRecord r, long timestamp) {
        List<io.silt.storage.log.segment.Header> headers = new ArrayList<>(r.headers().size());
        try {
            for (Header h : r.headers()) {
                headers.add(new io.silt.storage.log.segment.Header(h.name(), h.value()));
            }
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("record header name is not valid text: " + e.getMessage(), e);
        }
        return new Record(r.key(), r.value(), headers, timestamp);
    }

    private static long length(byte[] b) {
        return b == null ? 0 : b.length;
    }
}
