package io.silt.storage.log.segment;

import io.silt.storage.ByteRange;
import java.util.Objects;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * The fixed-size end of a segment object: where the index is, how long it is and its CRC32C. It lets a reader that
 * knows only the object's size find any record with ranged GETs:
 *
 * <ol>
 *   <li>GET the last {@link #SUGGESTED_TAIL_BYTES} bytes ({@code ByteRange.suffix(SUGGESTED_TAIL_BYTES)}) and
 *       {@link #parse(String, long, byte[]) parse} the trailer from them;</li>
 *   <li>{@link #indexFromTail(String, byte[]) take the index from the same bytes} if they cover it (they do unless the
 *       segment has hundreds of batches), else GET {@link #indexRange()} and {@link #readIndex(String, byte[])};</li>
 *   <li>GET {@link SegmentInfo#rangeFrom(int)} and read it with
 *       {@link SegmentReader#readRange(String, SegmentInfo, long, byte[])}.</li>
 * </ol>
 *
 * @param objectSize the size of the whole segment object
 * @param indexPosition where the index starts (the end of the last batch)
 * @param indexLength the index's length in bytes
 * @param indexCrc32c the CRC32C of the index bytes
 */
public record SegmentTrailer(long objectSize, long indexPosition, int indexLength, int indexCrc32c) {
    /** The trailer's size in bytes. */
    public static final int SIZE = SegmentFormat.TRAILER_SIZE;
    /** A suffix read of this size holds the trailer and, for segments of up to ~680 batches, the index. */
    public static final int SUGGESTED_TAIL_BYTES = 16 * 1024;

    /**
     * Parses the trailer from the last bytes of an object.
     *
     * @param objectKey names the object in errors
     * @param objectSize the object's size
     * @param tail the object's last {@code tail.length} bytes (at least {@link #SIZE}, or the whole object if
     *     shorter)
     * @throws CorruptSegmentException if the trailer is not valid
     */
    public static SegmentTrailer parse(String objectKey, long objectSize, byte[] tail) {
        Objects.requireNonNull(tail, "tail");
        if (tail.length > objectSize) {
            throw new IllegalArgumentException("tail of " + tail.length + " bytes is longer than the object ("
                    + objectSize + " bytes)");
        }
        try {
            return parse(tail, tail.length - Math.min(tail.length, SIZE), objectSize);
        } catch (Malformed m) {
            throw m.toException(objectKey);
        }
    }

    /** Parses the trailer ending at the end of {@code b}; {@code at} is where the last 24 (or fewer) bytes start. */
    static SegmentTrailer parse(byte[] b, int at, long objectSize) {
        long base = objectSize - (b.length - at); // the position of b[at]
        if (b.length - at < SIZE) {
            throw new Malformed(base, "object of " + objectSize + " bytes is too short to be a segment (the trailer"
                    + " alone is " + SIZE + " bytes)");
        }
        int magic = Bytes.i32(b, at + SegmentFormat.T_MAGIC);
        if (magic != SegmentFormat.TRAILER_MAGIC) {
            throw new Malformed(base + SegmentFormat.T_MAGIC, "bad trailer magic " + Bytes.describeMagic(magic)
                    + " (expected \"SLTF\"): not a segment, or truncated");
        }
        IndexCodec.checkVersion(Bytes.u8(b, at + SegmentFormat.T_VERSION), base + SegmentFormat.T_VERSION, "trailer");
        int flags = Bytes.u8(b, at + SegmentFormat.T_FLAGS);
        if (flags != 0) {
            throw new Malformed(base + SegmentFormat.T_FLAGS, "unknown trailer flags 0x"
                    + Integer.toHexString(flags), true);
        }
        if (Bytes.u16(b, at + SegmentFormat.T_RESERVED) != 0) {
            throw new Malformed(base + SegmentFormat.T_RESERVED, "reserved trailer bytes are not zero");
        }
        long indexPosition = Bytes.i64(b, at + SegmentFormat.T_INDEX_POSITION);
        int indexLength = Bytes.i32(b, at + SegmentFormat.T_INDEX_LENGTH);
        long minIndexPosition = SegmentFormat.OBJECT_HEADER_SIZE + SegmentFormat.BATCH_HEADER_SIZE + 1;
        int minIndexLength = IndexCodec.encodedLength(1);
        if (indexPosition < minIndexPosition || indexLength < minIndexLength
                || indexPosition + indexLength + SIZE != objectSize) {
            throw new Malformed(base, "trailer places the index at byte " + indexPosition + " with length "
                    + indexLength + ", which does not end at the trailer of an object of " + objectSize + " bytes");
        }
        return new SegmentTrailer(objectSize, indexPosition, indexLength, Bytes.i32(b, at + SegmentFormat.T_INDEX_CRC));
    }

    /** The byte range of the index, to GET when the tail did not cover it. */
    public ByteRange indexRange() {
        return ByteRange.of(indexPosition, indexLength);
    }

    /**
     * Checks and decodes the index.
     *
     * @param indexBytes exactly the bytes of {@link #indexRange()}
     * @throws CorruptSegmentException on a length or CRC mismatch or an invalid index
     */
    public SegmentInfo readIndex(String objectKey, byte[] indexBytes) {
        Objects.requireNonNull(indexBytes, "indexBytes");
        try {
            return readIndex(indexBytes, 0, indexBytes.length);
        } catch (Malformed m) {
            throw m.toException(objectKey);
        }
    }

    /**
     * The index, if {@code tail} (the object's last {@code tail.length} bytes, as passed to
     * {@link #parse(String, long, byte[])}) covers it.
     */
    public Optional<SegmentInfo> indexFromTail(String objectKey, byte[] tail) {
        long tailStart = objectSize - tail.length;
        if (tailStart > indexPosition) {
            return Optional.empty();
        }
        try {
            return Optional.of(readIndex(tail, (int) (indexPosition - tailStart), indexLength));
        } catch (Malformed m) {
            throw m.toException(objectKey);
        }
    }

    SegmentInfo readIndex(byte[] b, int off, int len) {
        if (len != indexLength) {
            throw new Malformed(indexPosition, "index is " + len + " bytes, the trailer says " + indexLength);
        }
        CRC32C crc = new CRC32C();
        crc.update(b, off, len);
        int computed = (int) crc.getValue();
        if (computed != indexCrc32c) {
            throw new Malformed(indexPosition, String.format("index CRC32C mismatch: stored 0x%08x, computed 0x%08x",
                    indexCrc32c, computed));
        }
        SegmentInfo info = IndexCodec.decode(b, off, len, indexPosition);
        if (info.byteSize() != objectSize || info.batchesEnd() != indexPosition) {
            throw new Malformed(indexPosition, "index describes an object of " + info.byteSize()
                    + " bytes whose batches end at byte " + info.batchesEnd() + ", but the object has "
                    + objectSize + " bytes and its index starts at byte " + indexPosition);
        }
        return info;
    }
}
