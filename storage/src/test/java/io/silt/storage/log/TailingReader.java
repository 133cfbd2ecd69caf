package io.silt.storage.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.silt.storage.ObjectStoreException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Reads a partition continuously from offset 0, as a consumer tails it, checking that every record comes at the
 * next offset (no gap, no duplicate). Optionally rides out retriable errors (when it reads through injected
 * faults): it then reads the same offset again, opening a new reader if opening failed.
 */
final class TailingReader {
    private final Supplier<PartitionReader> open;
    private final boolean tolerateRetriable;
    private volatile boolean finishing;
    private PartitionReader reader;
    private int toleratedErrors;

    TailingReader(Supplier<PartitionReader> open, boolean tolerateRetriable) {
        this.open = open;
        this.tolerateRetriable = tolerateRetriable;
    }

    /** After this, {@link #run()} returns once it has read everything written before the call. */
    void finish() {
        finishing = true;
    }

    /** Tails until {@link #finish()}; returns every record read, in order. */
    List<LogRecord> run() {
        List<LogRecord> out = new ArrayList<>();
        long next = 0;
        while (true) {
            boolean last = finishing;
            List<LogRecord> got;
            try {
                if (reader == null) {
                    reader = open.get();
                }
                got = reader.read(next, 500);
            } catch (ObjectStoreException | LogException e) {
                boolean retriable = e instanceof LogException le ? le.isRetriable()
                        : ((ObjectStoreException) e).isRetriable();
                if (!tolerateRetriable || !retriable) {
                    throw e;
                }
                synchronized (this) {
                    toleratedErrors++;
                }
                continue;
            }
            for (LogRecord r : got) {
                assertThat(r.offset()).as("tailed offset").isEqualTo(next);
                next++;
            }
            out.addAll(got);
            if (got.isEmpty()) {
                if (last) {
                    return out;
                }
                try {
                    Thread.sleep(2); // polls, as a consumer does; no timing is tested here
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return out;
                }
            }
        }
    }

    synchronized int toleratedErrors() {
        return toleratedErrors;
    }

    PartitionReader reader() {
        return reader;
    }
}
