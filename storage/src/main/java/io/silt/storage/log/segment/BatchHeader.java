package io.silt.storage.log.segment;

/**
 * A parsed, CRC-checked batch header. {@code index} is where the batch starts in the buffer, {@code position} its
 * byte position in the object (or inline bytes).
 */
record BatchHeader(int index, long position, int length, int headerLength, Compression codec, int firstRecord,
                   int recordCount, long firstTimestamp, long maxTimestamp, int uncompressedLength) {

    int payloadIndex() {
        return index + headerLength;
    }

    int payloadLength() {
        return length - headerLength;
    }
}
