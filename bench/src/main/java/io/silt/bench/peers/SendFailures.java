package io.silt.bench.peers;

import java.util.concurrent.atomic.AtomicReference;

/** The first failed send of a peer client's asynchronous sends, reported at the next flush. */
final class SendFailures {
    private final String name;
    private final AtomicReference<Throwable> first = new AtomicReference<>();

    SendFailures(String name) {
        this.name = name;
    }

    /** A send's completion: runs {@code onAck} if it succeeded, keeps the failure otherwise. */
    void completed(Throwable failure, Runnable onAck) {
        if (failure != null) {
            first.compareAndSet(null, failure);
        } else {
            onAck.run();
        }
    }

    /** After a flush: throws if any send failed. */
    void check() {
        Throwable e = first.get();
        if (e != null) {
            throw new IllegalStateException(name + ": a send failed", e);
        }
    }
}
