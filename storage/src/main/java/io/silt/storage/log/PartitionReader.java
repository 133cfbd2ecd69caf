package io.silt.storage.log;

import io.silt.storage.ObjectStore;
import io.silt.storage.log.internal.EntryReader;
import io.silt.storage.log.segment.Record;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Reads a partition from any offset, from the earliest or latest, or from a timestamp; tails it by probing the next
 * commit number (one GET, a 404, when nothing is new). A segment that has disappeared (merged and collected) makes
 * it reload its view and read again, never skip. Corrupt data is reported with its key and position. Not
 * thread-safe: one reader per consumer thread.
 */
public final class PartitionReader {
    private static final long DEFAULT_MAX_BYTES = 4L << 20;

    private final ObjectStore store;
    private final String name;
    private final PartitionView view;

    public PartitionReader(ObjectStore store, String prefix, LogConfig config, LongSupplier nanoTime) {
        this.store = store;
        this.name = store.describe() + "/" + prefix;
        this.view = PartitionView.open(store, prefix, config, nanoTime);
    }

    /** The earliest retained offset. */
    public long startOffset() {
        return view.startOffset();
    }

    /** The offset after the newest record this reader knows of ({@link #refresh()} to learn more). */
    public long endOffset() {
        return view.endOffset();
    }

    /** Looks for new commit records; one GET when there are none. @return whether any were found */
    public boolean refresh() {
        return view.refresh();
    }

    public PartitionView view() {
        return view;
    }

    /** Reads up to {@code maxRecords} records from {@code offset}, about 4 MiB at most. */
    public List<LogRecord> read(long offset, int maxRecords) {
        return read(offset, maxRecords, DEFAULT_MAX_BYTES);
    }

    /**
     * Reads records from {@code offset}: up to {@code maxRecords}, and about {@code maxBytes} of data (always at
     * least one batch). Returns an empty list when {@code offset} is the end of the log (after checking for new
     * commits).
     *
     * @throws OffsetOutOfRangeException if {@code offset} is before the earliest retained offset or past the end
     * @throws CorruptObjectException if an object of the log is corrupt, or is referenced but missing
     */
    public List<LogRecord> read(long offset, int maxRecords, long maxBytes) {
        if (offset >= view.endOffset()) {
            view.refresh();
        }
        if (offset == view.endOffset()) {
            return List.of();
        }
        if (offset < view.startOffset() || offset > view.endOffset()) {
            view.reloadIfPassed();
            if (offset < view.startOffset() || offset > view.endOffset()) {
                throw new OffsetOutOfRangeException(name, offset, view.startOffset(), view.endOffset());
            }
        }
        for (int attempt = 0; ; attempt++) {
            try {
                return readFromView(offset, maxRecords, maxBytes);
            } catch (StaleLogViewException e) {
                if (attempt >= 2) {
                    // the newest view still names it, and GC never deletes what the newest checkpoint names
                    throw new CorruptObjectException(name + ": " + e.getMessage() + ", yet the reloaded log still"
                            + " references it: the log names an object that does not exist", e);
                }
                view.reload(); // a referenced object is gone: a newer checkpoint names its replacement
                if (offset < view.startOffset()) {
                    throw new OffsetOutOfRangeException(name, offset, view.startOffset(), view.endOffset());
                }
            }
        }
    }

    private List<LogRecord> readFromView(long offset, int maxRecords, long maxBytes) {
        List<LogRecord> out = new ArrayList<>();
        long bytes = 0;
        long next = offset;
        while (out.size() < maxRecords && bytes < maxBytes && next < view.endOffset()) {
            PartitionView.Located at = view.locate(next).orElseThrow();
            int from = (int) (next - at.baseOffset());
            List<Record> records = EntryReader.read(store, at.entry(), sourceOf(at), from, maxRecords - out.size(),
                    maxBytes - bytes);
            for (Record r : records) {
                if (out.size() == maxRecords) {
                    break;
                }
                out.add(new LogRecord(next++, r));
                bytes += size(r);
            }
        }
        return out;
    }

    /** The offset of the first record with a timestamp at or after {@code timestamp}, or the end offset. */
    public long offsetForTimestamp(long timestamp) {
        view.refresh();
        Optional<PartitionView.Located> first = view.firstAtOrAfter(timestamp);
        if (first.isEmpty()) {
            return view.endOffset();
        }
        PartitionView.Located at = first.get();
        List<Record> records = EntryReader.read(store, at.entry(), sourceOf(at), 0, Integer.MAX_VALUE,
                Long.MAX_VALUE);
        for (int i = 0; i < records.size(); i++) {
            if (records.get(i).timestamp() >= timestamp) {
                return at.baseOffset() + i;
            }
        }
        return at.endOffset();
    }

    private String sourceOf(PartitionView.Located at) {
        return at.commitSeq() < 0
                ? name + "checkpoint " + view.checkpointNumber()
                : name + "log/" + at.commitSeq();
    }

    private static long size(Record r) {
        return (r.key() == null ? 0 : r.key().length) + (r.value() == null ? 0 : r.value().length) + 16;
    }
}
