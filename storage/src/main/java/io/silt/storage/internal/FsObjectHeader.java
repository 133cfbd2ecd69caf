package io.silt.storage.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * The header at the start of each object file of the filesystem store, so that an object (body, ETag, timestamp,
 * metadata) is one file and is replaced or created by one atomic rename or link.
 *
 * <p>Layout, big-endian:
 * <pre>
 *   offset  size  field
 *   0       4     magic "SLTO" (0x53 0x4C 0x54 0x4F)
 *   4       2     format version (1)
 *   6       4     header length H in bytes, including this prefix and the trailing CRC; the body starts at H
 *   10      8     body length B; the file is exactly H + B bytes long
 *   18      8     lastModified, epoch milliseconds
 *   26      2+n   ETag (u16 length, then US-ASCII bytes)
 *           2     number of metadata entries, then per entry: u16 length + key bytes, u16 length + value bytes
 *   H-4     4     CRC32C of bytes [0, H-4)
 *   H       B     the body
 * </pre>
 * A file whose magic, version, lengths or CRC do not check out is reported as corrupt, never returned as data.
 */
public record FsObjectHeader(int headerLength, long bodyLength, long lastModifiedMillis, String etag,
        Map<String, String> metadata) {

    public static final int FORMAT_VERSION = 1;
    /** Headers are small (metadata is at most 2 KiB); anything larger is corruption. */
    public static final int MAX_HEADER_LENGTH = 64 * 1024;

    private static final byte[] MAGIC = {'S', 'L', 'T', 'O'};
    private static final int PREFIX_LENGTH = 4 + 2 + 4;
    private static final int MIN_HEADER_LENGTH = PREFIX_LENGTH + 8 + 8 + 2 + 2 + 4;
    /** What a read of a header asks for first; enough for the header of almost every object. */
    private static final int FIRST_READ = 1024;

    /** A file that is not a well-formed object file; the message says what is wrong. */
    public static final class FormatException extends Exception {
        private static final long serialVersionUID = 1L;

        FormatException(String message) {
            super(message);
        }
    }

    public FsObjectHeader {
        metadata = Map.copyOf(metadata);
    }

    /** The header bytes for an object; {@link #headerLength()} of the result is their length. */
    public static byte[] encode(long bodyLength, long lastModifiedMillis, String etag, Map<String, String> metadata) {
        int length = MIN_HEADER_LENGTH + ascii(etag).length;
        Map<String, String> sorted = new TreeMap<>(metadata);
        for (Map.Entry<String, String> e : sorted.entrySet()) {
            length += 4 + utf8(e.getKey()).length + utf8(e.getValue()).length;
        }
        ByteBuffer buf = ByteBuffer.allocate(length);
        buf.put(MAGIC).putShort((short) FORMAT_VERSION).putInt(length).putLong(bodyLength).putLong(lastModifiedMillis);
        putString(buf, ascii(etag));
        buf.putShort((short) sorted.size());
        for (Map.Entry<String, String> e : sorted.entrySet()) {
            putString(buf, utf8(e.getKey()));
            putString(buf, utf8(e.getValue()));
        }
        CRC32C crc = new CRC32C();
        crc.update(buf.array(), 0, buf.position());
        buf.putInt((int) crc.getValue());
        return buf.array();
    }

    /**
     * Reads and checks the header of an open object file (positional reads; the channel's position is unchanged).
     * Also checks that the file is exactly as long as the header says.
     */
    public static FsObjectHeader read(FileChannel channel) throws IOException, FormatException {
        long fileSize = channel.size();
        if (fileSize < MIN_HEADER_LENGTH) {
            throw new FormatException("the file is " + fileSize + " bytes long, shorter than any object header");
        }
        ByteBuffer first = ByteBuffer.allocate((int) Math.min(fileSize, FIRST_READ));
        readFully(channel, first, 0);
        first.flip();
        byte[] magic = new byte[MAGIC.length];
        first.get(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new FormatException("the file does not start with the object magic 'SLTO'");
        }
        int version = first.getShort() & 0xffff;
        if (version != FORMAT_VERSION) {
            throw new FormatException("unknown object format version " + version + " (this Silt reads version "
                    + FORMAT_VERSION + "; was it written by a newer Silt?)");
        }
        int headerLength = first.getInt();
        if (headerLength < MIN_HEADER_LENGTH || headerLength > MAX_HEADER_LENGTH || headerLength > fileSize) {
            throw new FormatException("header length " + headerLength + " is impossible for a file of " + fileSize
                    + " bytes");
        }
        ByteBuffer header;
        if (headerLength <= first.limit()) {
            header = ByteBuffer.wrap(first.array(), 0, headerLength);
        } else {
            header = ByteBuffer.allocate(headerLength);
            readFully(channel, header, 0);
            header.flip();
        }
        CRC32C crc = new CRC32C();
        crc.update(header.array(), 0, headerLength - 4);
        if (header.getInt(headerLength - 4) != (int) crc.getValue()) {
            throw new FormatException("the header checksum does not match");
        }
        header.position(PREFIX_LENGTH);
        try {
            long bodyLength = header.getLong();
            long lastModified = header.getLong();
            String etag = new String(getString(header), StandardCharsets.US_ASCII);
            int entries = header.getShort() & 0xffff;
            Map<String, String> metadata = new LinkedHashMap<>();
            for (int i = 0; i < entries; i++) {
                String k = new String(getString(header), StandardCharsets.UTF_8);
                String v = new String(getString(header), StandardCharsets.UTF_8);
                metadata.put(k, v);
            }
            if (header.position() != headerLength - 4) {
                throw new FormatException("the header fields do not fill the header length " + headerLength);
            }
            if (bodyLength < 0 || headerLength + bodyLength != fileSize) {
                throw new FormatException("the file is " + fileSize + " bytes long but its header says "
                        + headerLength + " + " + bodyLength + " (truncated or overwritten?)");
            }
            return new FsObjectHeader(headerLength, bodyLength, lastModified, etag, metadata);
        } catch (java.nio.BufferUnderflowException | IndexOutOfBoundsException e) {
            throw new FormatException("the header fields run past the header length " + headerLength);
        }
    }

    /** Reads exactly {@code buf.remaining()} bytes at {@code position}. */
    public static void readFully(FileChannel channel, ByteBuffer buf, long position) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int n = channel.read(buf, pos);
            if (n < 0) {
                throw new java.io.EOFException("unexpected end of file at byte " + pos);
            }
            pos += n;
        }
    }

    private static void putString(ByteBuffer buf, byte[] bytes) {
        buf.putShort((short) bytes.length).put(bytes);
    }

    private static byte[] getString(ByteBuffer buf) {
        int n = buf.getShort() & 0xffff;
        byte[] b = new byte[n];
        buf.get(b);
        return b;
    }

    private static byte[] ascii(String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        if (b.length > 0xffff) {
            throw new IllegalArgumentException("header string too long: " + b.length + " bytes");
        }
        return b;
    }

    private static byte[] utf8(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > 0xffff) {
            throw new IllegalArgumentException("header string too long: " + b.length + " bytes");
        }
        return b;
    }
}
