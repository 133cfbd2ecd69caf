package io.silt.storage.log.internal;

import io.silt.storage.ByteRange;
import io.silt.storage.InvalidRangeException;
import io.silt.storage.ObjectData;
import io.silt.storage.ObjectStore;
import io.silt.storage.log.CommitRecord;
import io.silt.storage.log.CorruptObjectException;
import io.silt.storage.log.StaleLogViewException;
import io.silt.storage.log.segment.BatchIndexEntry;
import io.silt.storage.log.segment.Record;
import io.silt.storage.log.segment.SegmentInfo;
import io.silt.storage.log.segment.SegmentReader;
import java.util.List;
import java.util.Optional;

/** Reads the records of one log entry: inline from the commit record, or by a ranged GET of its segment. */
public final class EntryReader {
    private EntryReader() {}

    /**
     * The records of {@code entry} from relative index {@code from}, reading whole batches: at least one, then
     * more while they hold records below {@code from + maxRecords} and stay within {@code maxBytes}.
     *
     * @param source names the entry in errors (the commit record or checkpoint that holds it)
     * @throws StaleLogViewException if the segment is gone (merged and collected): reload the view
     * @throws io.silt.storage.log.segment.CorruptSegmentException if the data fails its checks
     */
    public static List<Record> read(ObjectStore store, CommitRecord.Entry entry, String source, int from,
                                     int maxRecords, long maxBytes) {
        if (entry.isInline()) {
            byte[] b = entry.inline();
            return SegmentReader.readInline(source, b, 0, b.length).recordsFrom(from);
        }
        String key = entry.segmentKey();
        if (entry.index().isEmpty()) {
            ObjectData whole = store.get(key).orElseThrow(() -> gone(key));
            return SegmentReader.readObject(key, whole.bytes()).recordsFrom(from);
        }
        SegmentInfo info = new SegmentInfo(entry.recordCount(), entry.segmentSize(), entry.minTimestamp(),
                entry.maxTimestamp(), entry.index());
        ByteRange range = range(info, from, maxRecords, maxBytes);
        Optional<ObjectData> data;
        try {
            data = store.get(key, range);
        } catch (InvalidRangeException e) {
            throw new CorruptObjectException("segment '" + key + "' is shorter than the " + entry.segmentSize()
                    + " bytes " + source + " says it has: " + e.getMessage(), e);
        }
        if (data.isEmpty()) {
            throw gone(key);
        }
        return SegmentReader.readRange(key, info, range.start(), data.get().bytes()).recordsFrom(from);
    }

    private static StaleLogViewException gone(String key) {
        return new StaleLogViewException("segment '" + key + "' is gone (merged and collected); reload the view");
    }

    /** The batches to read: the one holding {@code from}, then those the caller can still use. */
    static ByteRange range(SegmentInfo info, int from, int maxRecords, long maxBytes) {
        List<BatchIndexEntry> batches = info.batches();
        int i = info.batchNumberOf(from);
        long start = batches.get(i).position();
        long end = batches.get(i).end();
        long wanted = (long) from + maxRecords;
        for (i++; i < batches.size() && batches.get(i).firstRecord() < wanted
                && batches.get(i).end() - start <= maxBytes; i++) {
            end = batches.get(i).end();
        }
        return ByteRange.of(start, end - start);
    }
}
