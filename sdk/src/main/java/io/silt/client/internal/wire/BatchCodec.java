package io.silt.client.internal.wire;

import io.silt.client.internal.Transport.Fetched;
import io.silt.storage.log.segment.Header;
import io.silt.storage.log.segment.Record;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary batch {@code application/vnd.silt.batch} of the REST API (RFC 0009), shared by the service and the
 * SDK's http transport. Big-endian:
 *
 * <pre>
 * "SLTB", u8 version (1), i32 record count, then per record:
 *   i64 offset (-1 in requests), i64 timestamp (-1: the service's clock),
 *   i32 key length (-1: null), key bytes, i32 value length (-1: null), value bytes,
 *   i32 header count, per header: i32 name length, UTF-8 name, i32 value length (-1: null), value bytes
 * </pre>
 *
 * Decoding checks every length against the bytes that remain, so a malformed or truncated body fails with
 * {@link MalformedBatchException} (an {@link IllegalArgumentException}: the service answers 400) and never allocates
 * more than the body's size.
 */
public final class BatchCodec {
    /** The media type of a binary batch. */
    public static final String MEDIA_TYPE = "application/vnd.silt.batch";
    /** The format's version byte. */
    public static final byte VERSION = 1;
    /** An offset or timestamp not given: requests carry no offsets, and -1 timestamps mean "the service's clock". */
    public static final long UNSET = -1;

    private static final byte[] MAGIC = {'S', 'L', 'T', 'B'};
    private static final int HEADER_BYTES = MAGIC.length + 1 + 4;
    /** The fewest bytes one record takes: offset, timestamp, key length, value length, header count. */
    private static final int MIN_RECORD_BYTES = 8 + 8 + 4 + 4 + 4;

    private BatchCodec() {}

    /** A body that is not a well-formed batch; the message says where it went wrong. */
    public static final class MalformedBatchException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        public MalformedBatchException(String message) {
            super(message);
        }
    }

    /**
     * One decoded record: its offset ({@link #UNSET} in requests) and whether its timestamp was given. A record
     * sent with timestamp -1 is decoded with the caller's default timestamp and {@code timestampSet == false}.
     */
    public record Entry(long offset, Record record, boolean timestampSet) {}

    /** Encodes records for a request: offsets -1, the records' own timestamps. */
    public static byte[] encodeRecords(List<Record> records) {
        ByteBuffer b = ByteBuffer.allocate(size(records));
        writeHeader(b, records.size());
        for (Record r : records) {
            writeRecord(b, UNSET, r);
        }
        return b.array();
    }

    /** Encodes fetched records with their offsets (a fetch answer). */
    public static byte[] encodeFetched(List<Fetched> records) {
        ByteBuffer b = ByteBuffer.allocate(size(records.stream().map(Fetched::record).toList()));
        writeHeader(b, records.size());
        for (Fetched f : records) {
            writeRecord(b, f.offset(), f.record());
        }
        return b.array();
    }

    /**
     * Decodes a whole batch.
     *
     * @param body the bytes, exactly one batch
     * @param defaultTimestamp the timestamp of records sent with -1 (the receiver's clock); {@code >= 0}
     * @throws MalformedBatchException if the bytes are not one well-formed batch
     */
    public static List<Entry> decode(byte[] body, long defaultTimestamp) {
        ByteBuffer b = ByteBuffer.wrap(body);
        try {
            if (b.remaining() < HEADER_BYTES) {
                throw new MalformedBatchException("a batch starts with 9 bytes (\"SLTB\", version, count); got "
                        + b.remaining());
            }
            for (byte m : MAGIC) {
                if (b.get() != m) {
                    throw new MalformedBatchException("not a Silt batch: it must start with \"SLTB\"");
                }
            }
            byte version = b.get();
            if (version != VERSION) {
                throw new MalformedBatchException("unsupported batch version " + version + "; this side reads "
                        + VERSION);
            }
            int count = b.getInt();
            if (count < 0 || (long) count * MIN_RECORD_BYTES > b.remaining()) {
                throw new MalformedBatchException("record count " + count + " does not fit in the "
                        + b.remaining() + " bytes that follow");
            }
            List<Entry> out = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                out.add(readRecord(b, i, defaultTimestamp));
            }
            if (b.hasRemaining()) {
                throw new MalformedBatchException(b.remaining() + " bytes follow the last of " + count
                        + " records");
            }
            return out;
        } catch (BufferUnderflowException e) {
            throw new MalformedBatchException("the batch is truncated");
        }
    }

    /** The records of a request batch, timestamps -1 replaced by {@code defaultTimestamp}. */
    public static List<Record> decodeRecords(byte[] body, long defaultTimestamp) {
        List<Entry> entries = decode(body, defaultTimestamp);
        List<Record> out = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            out.add(e.record());
        }
        return out;
    }

    /** The records of a fetch answer with their offsets. */
    public static List<Fetched> decodeFetched(byte[] body) {
        List<Entry> entries = decode(body, 0);
        List<Fetched> out = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            out.add(new Fetched(e.offset(), e.record()));
        }
        return out;
    }

    private static Entry readRecord(ByteBuffer b, int index, long defaultTimestamp) {
        long offset = b.getLong();
        long timestamp = b.getLong();
        if (offset < UNSET || timestamp < UNSET) {
            throw new MalformedBatchException("record " + index + ": offset and timestamp are >= 0, or -1 when "
                    + "not given; got offset " + offset + ", timestamp " + timestamp);
        }
        byte[] key = readBytes(b, index, "key");
        byte[] value = readBytes(b, index, "value");
        int headerCount = b.getInt();
        if (headerCount < 0 || (long) headerCount * 8 > b.remaining()) {
            throw new MalformedBatchException("record " + index + ": header count " + headerCount
                    + " does not fit in the bytes that follow");
        }
        List<Header> headers = new ArrayList<>(headerCount);
        for (int h = 0; h < headerCount; h++) {
            byte[] name = readBytes(b, index, "header name");
            if (name == null) {
                throw new MalformedBatchException("record " + index + ": a header name cannot be null");
            }
            headers.add(new Header(utf8(name, index), readBytes(b, index, "header value")));
        }
        boolean timestampSet = timestamp != UNSET;
        return new Entry(offset, new Record(key, value, headers, timestampSet ? timestamp : defaultTimestamp),
                timestampSet);
    }

    private static byte[] readBytes(ByteBuffer b, int index, String what) {
        int n = b.getInt();
        if (n == -1) {
            return null;
        }
        if (n < -1 || n > b.remaining()) {
            throw new MalformedBatchException("record " + index + ": " + what + " length " + n
                    + " is invalid (" + b.remaining() + " bytes remain)");
        }
        byte[] out = new byte[n];
        b.get(out);
        return out;
    }

    private static String utf8(byte[] bytes, int index) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new MalformedBatchException("record " + index + ": a header name is not valid UTF-8");
        }
    }

    private static int size(List<Record> records) {
        long n = HEADER_BYTES;
        for (Record r : records) {
            n += MIN_RECORD_BYTES + length(r.key()) + length(r.value());
            for (Header h : r.headers()) {
                n += 8 + h.name().getBytes(StandardCharsets.UTF_8).length + length(h.value());
            }
        }
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a batch of " + n + " bytes is too large to encode");
        }
        return (int) n;
    }

    private static int length(byte[] b) {
        return b == null ? 0 : b.length;
    }

    private static void writeHeader(ByteBuffer b, int count) {
        b.put(MAGIC).put(VERSION).putInt(count);
    }

    private static void writeRecord(ByteBuffer b, long offset, Record r) {
        b.putLong(offset).putLong(r.timestamp());
        writeBytes(b, r.key());
        writeBytes(b, r.value());
        b.putInt(r.headers().size());
        for (Header h : r.headers()) {
            writeBytes(b, h.name().getBytes(StandardCharsets.UTF_8));
            writeBytes(b, h.value());
        }
    }

    private static void writeBytes(ByteBuffer b, byte[] bytes) {
        if (bytes == null) {
            b.putInt(-1);
        } else {
            b.putInt(bytes.length).put(bytes);
        }
    }
}
