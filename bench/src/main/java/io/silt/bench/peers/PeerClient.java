package io.silt.bench.peers;

import java.util.function.Consumer;

/**
 * One system under test as the peers benchmark drives it: one producer and readers of single-partition destinations
 * (a Silt or Kafka topic of one partition, a RabbitMQ queue). Implementations wrap each system's own client with
 * the settings {@link PeerBench} documents.
 */
interface PeerClient extends AutoCloseable {
    /** The system's name in the report, e.g. {@code kafka}. */
    String name();

    /** The settings that matter for the comparison, for the report. */
    String settings();

    /** Creates a destination of one partition (topic or durable queue). */
    void create(String destination);

    /**
     * Sends one record without waiting for it; {@code onAck} runs (on any thread) once the system acknowledged it
     * durably (acks=all, a publisher confirm, a commit). May block while the client's buffer or window is full.
     */
    void send(String destination, byte[] value, Runnable onAck);

    /** Waits until every record sent so far is acknowledged; throws if any of them failed. */
    void flush();

    /** A reader of {@code destination} from its beginning. */
    Reader reader(String destination);

    /** Closes the clients (not the server). */
    @Override
    void close();

    /** Reads a destination. */
    interface Reader extends AutoCloseable {
        /** Waits up to about 100 ms for records and passes each value to {@code each}; returns how many. */
        int poll(Consumer<byte[]> each);

        @Override
        void close();
    }
}
