package io.silt.client.internal;

import io.silt.client.Admin;
import io.silt.client.Consumer;
import io.silt.client.ConsumerConfig;
import io.silt.client.Producer;
import io.silt.client.ProducerConfig;
import io.silt.client.QueueConfig;
import io.silt.client.QueueConsumer;
import io.silt.client.SiltClient;

/** A client over a {@link Transport}; creates producers, consumers, queues and the admin. */
public final class DirectClient implements SiltClient {
    private final DirectTransport transport;

    public DirectClient(DirectTransport transport) {
        this.transport = transport;
    }

    public DirectTransport transport() {
        return transport;
    }

    @Override
    public Admin admin() {
        throw new UnsupportedOperationException("admin: in progress");
    }

    @Override
    public Producer producer(ProducerConfig config) {
        throw new UnsupportedOperationException("producer: in progress");
    }

    @Override
    public Consumer consumer(ConsumerConfig config) {
        throw new UnsupportedOperationException("consumer: in progress");
    }

    @Override
    public QueueConsumer queueConsumer(String topic, QueueConfig config) {
        throw new UnsupportedOperationException("queue consumer: in progress");
    }

    @Override
    public String target() {
        return transport.target();
    }

    @Override
    public void close() {
        transport.close();
    }
}
