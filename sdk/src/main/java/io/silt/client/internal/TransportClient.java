package io.silt.client.internal;

import io.silt.client.Admin;
import io.silt.client.Consumer;
import io.silt.client.ConsumerConfig;
import io.silt.client.Producer;
import io.silt.client.ProducerConfig;
import io.silt.client.QueueConfig;
import io.silt.client.QueueConsumer;
import io.silt.client.SiltClient;

/**
 * A client over any {@link Transport}: creates producers, consumers, queues and the admin, which all run the same
 * code whether the transport works on the bucket or calls the Silt service.
 */
public class TransportClient implements SiltClient {
    private final Transport transport;

    public TransportClient(Transport transport) {
        this.transport = transport;
    }

    /** The transport this client works through. */
    public Transport transport() {
        return transport;
    }

    @Override
    public Admin admin() {
        return new AdminImpl(transport, new DirectGroupAdmin(transport), QueueAdmin.of(transport));
    }

    /** A producer with its own id; the client flushes and closes it when the client closes. */
    @Override
    public Producer producer(ProducerConfig config) {
        ProducerImpl p = new ProducerImpl(transport, config, transport.clock(), transport.nanoTime(),
                ProducerTimer.SYSTEM, transport.newRandom(), ProducerImpl.MIN_BACKOFF);
        p.onClose(transport.onClose(p::close));
        return p;
    }

    @Override
    public Consumer consumer(ConsumerConfig config) {
        return new ConsumerImpl(transport, config, transport.newRandom());
    }

    @Override
    public QueueConsumer queueConsumer(String topic, QueueConfig config) {
        return new QueueConsumerImpl(transport, topic, config, transport.newRandom().nextLong());
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
