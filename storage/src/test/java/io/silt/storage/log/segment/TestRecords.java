package io.silt.storage.log.segment;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32C;

/** Record generators and byte-level helpers for the segment tests. */
final class TestRecords {
    private TestRecords() {}

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A mix: null keys and values, empty values, headers (with null values, unicode names), varied timestamps. */
    static List<Record> mixed(int n, long seed) {
        Random random = new Random(seed);
        List<Record> out = new ArrayList<>(n);
        long base = 1_700_000_000_000L;
        for (int i = 0; i < n; i++) {
            byte[] key = switch (i % 4) {
                case 0 -> null;
                case 1 -> new byte[0];
                default -> utf8("key-" + i + "-ключ-鍵");
            };
            byte[] value = switch (i % 5) {
                case 0 -> null;
                case 1 -> new byte[0];
                case 2 -> randomBytes(random, random.nextInt(300));
                default -> utf8("{\"n\":" + i + ",\"text\":\"héllo wörld 🌍\",\"pad\":\"" + "x".repeat(i % 50) + "\"}");
            };
            List<Header> headers = switch (i % 3) {
                case 0 -> List.of();
                case 1 -> List.of(new Header("trace-id", utf8("t" + i)));
                default -> List.of(new Header("ünïcødé-名前-🙂", null), new Header("", new byte[0]),
                        new Header("content-type", utf8("application/json")));
            };
            // timestamps mostly rising, sometimes going back (clock skew between producers)
            long ts = base + i * 7L - (i % 11 == 0 ? 5_000 : 0);
            out.add(new Record(key, value, headers, ts));
        }
        return out;
    }

    /** Compressible records of about {@code size} bytes each. */
    static List<Record> jsonLike(int n, int size) {
        List<Record> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            StringBuilder sb = new StringBuilder("{\"id\":").append(i);
            while (sb.length() < size - 30) {
                sb.append(",\"status\":\"shipped\",\"amount\":").append(i % 997);
            }
            out.add(Record.of(utf8("k" + (i % 13)), utf8(sb.append('}').toString()), 1_000L + i));
        }
        return out;
    }

    static List<Record> randomValues(int n, int size, long seed) {
        Random random = new Random(seed);
        List<Record> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(Record.of(null, randomBytes(random, size), 5_000L + i));
        }
        return out;
    }

    static byte[] randomBytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** Recomputes the CRC32C of the batch at {@code pos} (after a deliberate edit), using its length field. */
    static void fixBatchCrc(byte[] b, int pos) {
        int length = Bytes.i32(b, pos + SegmentFormat.B_LENGTH);
        CRC32C crc = new CRC32C();
        crc.update(b, pos + SegmentFormat.B_HEADER_LENGTH, length - SegmentFormat.B_HEADER_LENGTH);
        Bytes.putI32(b, pos + SegmentFormat.B_CRC, (int) crc.getValue());
    }

    /** Recomputes the index CRC32C in the trailer (after a deliberate edit of the index). */
    static void fixIndexCrc(byte[] object) {
        int trailer = object.length - SegmentFormat.TRAILER_SIZE;
        int indexPos = (int) Bytes.i64(object, trailer + SegmentFormat.T_INDEX_POSITION);
        int indexLen = Bytes.i32(object, trailer + SegmentFormat.T_INDEX_LENGTH);
        CRC32C crc = new CRC32C();
        crc.update(object, indexPos, indexLen);
        Bytes.putI32(object, trailer + SegmentFormat.T_INDEX_CRC, (int) crc.getValue());
    }

    static byte[] tail(byte[] object, int n) {
        int len = Math.min(n, object.length);
        byte[] t = new byte[len];
        System.arraycopy(object, object.length - len, t, 0, len);
        return t;
    }

    static byte[] slice(byte[] b, long from, long length) {
        byte[] out = new byte[(int) length];
        System.arraycopy(b, (int) from, out, 0, (int) length);
        return out;
    }
}
