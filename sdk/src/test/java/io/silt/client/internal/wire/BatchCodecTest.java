package io.silt.client.internal.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.silt.client.internal.Transport.Fetched;
import io.silt.client.internal.wire.BatchCodec.Entry;
import io.silt.client.internal.wire.BatchCodec.MalformedBatchException;
import io.silt.storage.log.segment.Header;
import io.silt.storage.log.segment.Record;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchCodecTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void requestRecordsRoundTripWithNullsEmptiesAndHeaders() {
        List<Record> records = List.of(
                new Record(b("k"), b("v"), List.of(new Header("h1", b("x")), new Header("ü", null)), 42),
                new Record(null, null, List.of(), 0),
                new Record(new byte[0], new byte[0], List.of(), 7));
        byte[] body = BatchCodec.encodeRecords(records);
        assertEquals(records, BatchCodec.decodeRecords(body, 999));
        List<Entry> entries = BatchCodec.decode(body, 999);
        assertEquals(BatchCodec.UNSET, entries.get(0).offset());
        assertTrue(entries.get(0).timestampSet());
    }

    @Test
    void fetchedRecordsKeepTheirOffsets() {
        List<Fetched> fetched = List.of(new Fetched(10, Record.of(null, b("a"), 5)),
                new Fetched(11, Record.of(b("key"), b("b"), 6)));
        assertEquals(fetched, BatchCodec.decodeFetched(BatchCodec.encodeFetched(fetched)));
        assertEquals(List.of(), BatchCodec.decodeFetched(BatchCodec.encodeFetched(List.of())));
    }

    @Test
    void layoutIsTheOneTheRfcDescribes() {
        byte[] body = BatchCodec.encodeRecords(List.of(new Record(null, b("hi"), List.of(new Header("n", null)), 3)));
        ByteBuffer x = ByteBuffer.allocate(body.length);
        x.put(b("SLTB")).put((byte) 1).putInt(1).putLong(-1).putLong(3).putInt(-1).putInt(2).put(b("hi"))
                .putInt(1).putInt(1).put(b("n")).putInt(-1);
        assertArrayEquals(x.array(), body);
    }

    @Test
    void minusOneTimestampTakesTheDefault() {
        ByteBuffer x = ByteBuffer.allocate(5 + 4 + 28);
        x.put(b("SLTB")).put((byte) 1).putInt(1).putLong(-1).putLong(-1).putInt(-1).putInt(-1).putInt(0);
        Entry e = BatchCodec.decode(x.array(), 1234).get(0);
        assertEquals(1234, e.record().timestamp());
        assertFalse(e.timestampSet());
    }

    @Test
    void malformedBodiesAreRefused() {
        byte[] good = BatchCodec.encodeRecords(List.of(Record.of(b("k"), b("value"), 1)));
        assertThrows(MalformedBatchException.class, () -> BatchCodec.decode(new byte[3], 0));
        byte[] badMagic = good.clone();
        badMagic[0] = 'X';
        assertThrows(MalformedBatchException.class, () -> BatchCodec.decode(badMagic, 0));
        byte[] badVersion = good.clone();
        badVersion[4] = 2;
        assertThrows(MalformedBatchException.class, () -> BatchCodec.decode(badVersion, 0));
        for (int cut = 0; cut < good.length; cut++) {
            byte[] truncated = Arrays.copyOf(good, cut);
            assertThrows(MalformedBatchException.class, () -> BatchCodec.decode(truncated, 0), "cut at " + cut);
        }
        byte[] trailing = Arrays.copyOf(good, good.length + 1);
        assertThrows(MalformedBatchException.class, () -> BatchCodec.decode(trailing, 0));
        byte[] hugeCount = good.clone();
        ByteBuffer.wrap(hugeCount).putInt(5, Integer.MAX_VALUE);
        assertThrows(MalformedBatchException.class, () -> BatchCodec.decode(hugeCount, 0));
        byte[] hugeKey = good.clone();
        ByteBuffer.wrap(hugeKey).putInt(9 + 16, Integer.MAX_VALUE);
        assertThrows(MalformedBatchException.class, () -> BatchCodec.decode(hugeKey, 0));
        byte[] negativeTimestamp = good.clone();
        ByteBuffer.wrap(negativeTimestamp).putLong(9 + 8, -5);
        assertThrows(MalformedBatchException.class, () -> BatchCodec.decode(negativeTimestamp, 0));
        assertTrue(IllegalArgumentException.class.isAssignableFrom(MalformedBatchException.class));
    }
}
