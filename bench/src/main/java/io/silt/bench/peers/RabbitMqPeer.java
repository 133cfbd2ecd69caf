package io.silt.bench.peers;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.MessageProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * RabbitMQ's Java client (amqp-client 5) against a {@link RabbitMqServer}, set up as PerfTest's {@code -f persistent
 * -c 100 -q 100}: durable classic queues, persistent messages through the default exchange, publisher confirms
 * handled asynchronously with at most {@value #CONFIRM_WINDOW} unconfirmed messages; a consumer on its own
 * connection with manual acknowledgements (one per message) and a prefetch of {@value #PREFETCH}.
 */
final class RabbitMqPeer implements PeerClient {
    static final int CONFIRM_WINDOW = 100;
    static final int PREFETCH = 100;

    private final ConnectionFactory factory = new ConnectionFactory();
    private final Connection connection;
    private final Channel channel;
    private final Semaphore window = new Semaphore(CONFIRM_WINDOW);
    private final ConcurrentNavigableMap<Long, Runnable> unconfirmed = new ConcurrentSkipListMap<>();
    private final AtomicBoolean nacked = new AtomicBoolean();

    RabbitMqPeer(int port) {
        factory.setHost("127.0.0.1");
        factory.setPort(port);
        try {
            connection = factory.newConnection("silt-peers-producer");
            channel = connection.createChannel();
            channel.confirmSelect();
            channel.addConfirmListener((tag, multiple) -> confirm(tag, multiple, true),
                    (tag, multiple) -> confirm(tag, multiple, false));
        } catch (IOException | TimeoutException e) {
            throw new IllegalStateException("cannot connect to RabbitMQ on port " + port, e);
        }
    }

    private void confirm(long tag, boolean multiple, boolean ack) {
        Map<Long, Runnable> done = multiple ? unconfirmed.headMap(tag, true) : unconfirmed.subMap(tag, true, tag, true);
        List<Runnable> callbacks = new ArrayList<>(done.values());
        done.clear();
        if (ack) {
            callbacks.forEach(Runnable::run);
        } else {
            nacked.set(true);
        }
        window.release(callbacks.size()); // after the callbacks: flush() returns once every permit is back
    }

    @Override
    public String name() {
        return "rabbitmq";
    }

    @Override
    public String settings() {
        return "RabbitMQ (Debian's rabbitmq-server) single node; durable classic queue, persistent messages "
                + "(delivery mode 2), publisher confirms with " + CONFIRM_WINDOW + " outstanding (PerfTest -c "
                + CONFIRM_WINDOW + "); consumer manual ack per message, prefetch " + PREFETCH + " (PerfTest -q "
                + PREFETCH + ")";
    }

    @Override
    public void create(String destination) {
        try {
            channel.queueDeclare(destination, true, false, false, null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot declare queue " + destination, e);
        }
    }

    @Override
    public void send(String destination, byte[] value, Runnable onAck) {
        try {
            window.acquire();
            unconfirmed.put(channel.getNextPublishSeqNo(), onAck);
            channel.basicPublish("", destination, MessageProperties.PERSISTENT_BASIC, value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot publish to " + destination, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void flush() {
        try {
            if (!window.tryAcquire(CONFIRM_WINDOW, 5, TimeUnit.MINUTES)) {
                throw new IllegalStateException("rabbitmq: " + unconfirmed.size()
                        + " messages unconfirmed after 5 min");
            }
            window.release(CONFIRM_WINDOW);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (nacked.get()) {
            throw new IllegalStateException("rabbitmq: the broker nacked a message");
        }
    }

    @Override
    public Reader reader(String destination) {
        BlockingQueue<byte[]> delivered = new LinkedBlockingQueue<>();
        try {
            Connection c = factory.newConnection("silt-peers-consumer");
            Channel ch = c.createChannel();
            ch.basicQos(PREFETCH);
            ch.basicConsume(destination, false, (tag, delivery) -> {
                delivered.add(delivery.getBody());
                ch.basicAck(delivery.getEnvelope().getDeliveryTag(), false);
            }, tag -> { });
            return new Reader() {
                private final List<byte[]> batch = new ArrayList<>();

                @Override
                public int poll(java.util.function.Consumer<byte[]> each) {
                    try {
                        byte[] first = delivered.poll(100, TimeUnit.MILLISECONDS);
                        if (first == null) {
                            return 0;
                        }
                        batch.clear();
                        batch.add(first);
                        delivered.drainTo(batch);
                        batch.forEach(each);
                        return batch.size();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return 0;
                    }
                }

                @Override
                public void close() {
                    try {
                        c.close();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            };
        } catch (IOException | TimeoutException e) {
            throw new IllegalStateException("cannot consume from RabbitMQ queue " + destination, e);
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
