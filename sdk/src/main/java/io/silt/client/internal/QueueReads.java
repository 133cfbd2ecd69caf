package io.silt.client.internal;

import io.silt.client.OffsetOutOfRangeException;
import io.silt.storage.log.segment.Record;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads a queue's messages from its topic's partitions through the transport. */
final class QueueReads {
    private static final System.Logger LOG = System.getLogger(QueueReads.class.getName());
    private static final long MAX_FETCH_BYTES = 8L << 20;

    /** Records {@code [from, to)} of a partition, read for a fresh claim; {@code from} is past any retention gap. */
    record Fresh(long from, long to, Map<Long, Record> records) {}

    private final Transport transport;
    private final String topic;

    QueueReads(Transport transport, String topic) {
        this.transport = transport;
        this.topic = topic;
    }

    /** Up to {@code n} records from {@code high}, skipping to the retained start if retention passed it. */
    Fresh fresh(int partition, long high, int n) {
        long from = high;
        List<Transport.Fetched> got;
        try {
            got = transport.fetch(topic, partition, from, n, MAX_FETCH_BYTES, Duration.ZERO).records();
        } catch (OffsetOutOfRangeException e) {
            long start = transport.offsets(topic, partition)[0];
            if (start <= high) {
                throw e;
            }
            from = start; // records before the retained start are gone: skip them
            got = transport.fetch(topic, partition, from, n, MAX_FETCH_BYTES, Duration.ZERO).records();
        }
        Map<Long, Record> records = new HashMap<>();
        long to = from;
        for (Transport.Fetched f : got) {
            if (f.offset() >= from && records.size() < n) {
                records.put(f.offset(), f.record());
                to = Math.max(to, f.offset() + 1);
            }
        }
        return new Fresh(from, to, records);
    }

    /** The records at {@code offsets} (sorted), one fetch per run of consecutive offsets; missing ones are absent. */
    Map<Long, Record> at(int partition, long[] offsets) {
        Map<Long, Record> out = new HashMap<>();
        int i = 0;
        while (i < offsets.length) {
            int j = i + 1;
            while (j < offsets.length && offsets[j] == offsets[j - 1] + 1) {
                j++;
            }
            try {
                var got = transport.fetch(topic, partition, offsets[i], j - i, MAX_FETCH_BYTES, Duration.ZERO);
                for (Transport.Fetched f : got.records()) {
                    if (f.offset() >= offsets[i] && f.offset() <= offsets[j - 1]) {
                        out.put(f.offset(), f.record());
                    }
                }
            } catch (OffsetOutOfRangeException e) {
                LOG.log(Level.DEBUG, () -> "queue messages of " + topic + "/" + partition + " are no longer retained");
            }
            i = j;
        }
        return out;
    }
}
