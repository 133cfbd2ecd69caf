package io.silt.storage.log.segment;

/**
 * The constants of segment format version 1: magics, sizes, field offsets and limits. The layout itself is described
 * in {@link SegmentWriter} and in {@code docs/rfcs/0001-segment-format.md}. All integers are big-endian.
 */
final class SegmentFormat {
    private SegmentFormat() {}

    /** The newest format version this code writes and reads (object header, batches, index and trailer). */
    static final int VERSION = 1;

    static final int OBJECT_MAGIC = 0x534C5453;  // "SLTS"
    static final int BATCH_MAGIC = 0x534C5442;   // "SLTB"
    static final int INDEX_MAGIC = 0x534C5449;   // "SLTI"
    static final int TRAILER_MAGIC = 0x534C5446; // "SLTF"

    // Object header: magic(4) version(1) flags(1) reserved(2)
    static final int OBJECT_HEADER_SIZE = 8;
    static final int OH_VERSION = 4;
    static final int OH_FLAGS = 5;
    static final int OH_RESERVED = 6;

    // Batch header
    static final int B_MAGIC = 0;
    static final int B_VERSION = 4;
    static final int B_LENGTH = 5;
    static final int B_CRC = 9;
    static final int B_HEADER_LENGTH = 13; // the CRC covers [13, batch length)
    static final int B_ATTRIBUTES = 15;
    static final int B_FIRST_INDEX = 17;
    static final int B_RECORD_COUNT = 21;
    static final int B_FIRST_TIMESTAMP = 25;
    static final int B_MAX_TIMESTAMP = 33;
    static final int B_UNCOMPRESSED_LENGTH = 41;
    static final int BATCH_HEADER_SIZE = 45;

    /** Attribute bits 0-2: the compression codec. All other bits are 0 in version 1. */
    static final int ATTR_CODEC_MASK = 0x7;

    // Index: magic(4) version(1) flags(1) headerLength(2) entrySize(2) batchCount(4) recordCount(4) byteSize(8)
    //        minTimestamp(8) maxTimestamp(8), then batchCount entries of
    //        firstRecord(4) position(8) length(4) maxTimestamp(8)
    static final int I_VERSION = 4;
    static final int I_FLAGS = 5;
    static final int I_HEADER_LENGTH = 6;
    static final int I_ENTRY_SIZE = 8;
    static final int I_BATCH_COUNT = 10;
    static final int I_RECORD_COUNT = 14;
    static final int I_BYTE_SIZE = 18;
    static final int I_MIN_TIMESTAMP = 26;
    static final int I_MAX_TIMESTAMP = 34;
    static final int INDEX_HEADER_SIZE = 42;
    static final int INDEX_ENTRY_SIZE = 24;

    // Trailer: indexPosition(8) indexLength(4) indexCrc(4) version(1) flags(1) reserved(2) magic(4)
    static final int T_INDEX_POSITION = 0;
    static final int T_INDEX_LENGTH = 8;
    static final int T_INDEX_CRC = 12;
    static final int T_VERSION = 16;
    static final int T_FLAGS = 17;
    static final int T_RESERVED = 18;
    static final int T_MAGIC = 20;
    static final int TRAILER_SIZE = 24;

    /** Hard cap of a batch's uncompressed record bytes, whatever the configuration. */
    static final int HARD_MAX_BATCH_BYTES = 8 << 20;
    /** The largest batch (header included) a reader accepts: a longer header may come from a later minor revision. */
    static final int MAX_BATCH_LENGTH = 0xFFFF + HARD_MAX_BATCH_BYTES;
    /** The smallest encoded record: length, timestamp delta, key length, value length, header count. */
    static final int MIN_RECORD_BYTES = 5;
    /** The smallest encoded header: name length and value length. */
    static final int MIN_HEADER_BYTES = 2;

    /** The smallest valid segment object: header, one minimal batch, an index of one entry, the trailer. */
    static final int MIN_OBJECT_SIZE =
            OBJECT_HEADER_SIZE + BATCH_HEADER_SIZE + 1 + INDEX_HEADER_SIZE + INDEX_ENTRY_SIZE + TRAILER_SIZE;
}
