package io.silt.client.internal;

/**
 * How a keyed record picks its partition: {@code toPositive(murmur2(key)) % partitions}, the same function and seed
 * as Kafka's default partitioner, so a key lands on the partition a Kafka producer would pick for the same key bytes
 * and partition count. Stable across processes, versions and JVMs; it changes only when the partition count does.
 */
public final class Partitioners {
    private static final int SEED = 0x9747b28c;

    private Partitioners() {}

    /** The partition of {@code key} among {@code partitions}. */
    public static int forKey(byte[] key, int partitions) {
        return toPositive(murmur2(key)) % partitions;
    }

    /** Kafka's {@code Utils.toPositive}: clears the sign bit (not {@code Math.abs}, which keeps MIN_VALUE negative). */
    static int toPositive(int n) {
        return n & 0x7fffffff;
    }

    /** MurmurHash2, 32 bits, as in Kafka's {@code Utils.murmur2}. */
    public static int murmur2(byte[] data) {
        int length = data.length;
        final int m = 0x5bd1e995;
        final int r = 24;
        int h = SEED ^ length;
        int length4 = length / 4;
        for (int i = 0; i < length4; i++) {
            int i4 = i * 4;
            int k = (data[i4] & 0xff) + ((data[i4 + 1] & 0xff) << 8) + ((data[i4 + 2] & 0xff) << 16)
                    + ((data[i4 + 3] & 0xff) << 24);
            k *= m;
            k ^= k >>> r;
            k *= m;
            h *= m;
            h ^= k;
        }
        int tail = length & ~3;
        switch (length % 4) {
            case 3:
                h ^= (data[tail + 2] & 0xff) << 16;
                // fall through
            case 2:
                h ^= (data[tail + 1] & 0xff) << 8;
                // fall through
            case 1:
                h ^= data[tail] & 0xff;
                h *= m;
                break;
            default:
                break;
        }
        h ^= h >>> 13;
        h *= m;
        h ^= h >>> 15;
        return h;
    }
}
