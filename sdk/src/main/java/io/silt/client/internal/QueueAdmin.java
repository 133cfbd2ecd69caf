package io.silt.client.internal;

/** The queue side of {@link io.silt.client.Admin}: the admin implementation delegates {@code redrive} here. */
public interface QueueAdmin {

    /** See {@link io.silt.client.Admin#redrive(String, String)}. */
    long redrive(String deadLetterTopic, String targetTopic);

    /** The implementation over a transport: reads the dead-letter topic as a queue, appends to the target. */
    static QueueAdmin of(Transport transport) {
        return new QueueRedrive(transport, transport.newRandom().nextLong());
    }
}
