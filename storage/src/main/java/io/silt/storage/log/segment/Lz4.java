package io.silt.storage.log.segment;

import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * The LZ4 block codec: the fastest implementation available (JNI, else pure Java). Compressor and decompressor are
 * immutable and thread-safe. Decompression always uses the safe decompressor with an exact output size, which
 * reports malformed input instead of reading or writing out of bounds.
 */
final class Lz4 {
    private static final System.Logger LOG = System.getLogger(Lz4.class.getName());
    private static final LZ4Factory FACTORY = LZ4Factory.fastestInstance();
    static final LZ4Compressor COMPRESSOR = FACTORY.fastCompressor();
    static final LZ4SafeDecompressor DECOMPRESSOR = FACTORY.safeDecompressor();

    static {
        LOG.log(System.Logger.Level.DEBUG, "segment LZ4 codec: {0}", FACTORY);
    }

    private Lz4() {}

    static int maxCompressedLength(int length) {
        return COMPRESSOR.maxCompressedLength(length);
    }
}
