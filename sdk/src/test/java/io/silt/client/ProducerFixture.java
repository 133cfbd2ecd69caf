package io.silt.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.silt.client.internal.ProducerImpl;
import io.silt.client.internal.Transport;
import io.silt.storage.ObjectStore;
import io.silt.storage.testing.ManualClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;

/** A transport over a given store (or a service), with a manual clock and timer, and producers on it. */
final class ProducerFixture implements AutoCloseable {
    final ManualClock clock = new ManualClock();
    final ManualTimer timer = new ManualTimer(clock);
    final Transport transport;
    private final List<ProducerImpl> producers = new ArrayList<>();

    ProducerFixture(ObjectStore store) {
        this(TestTransports.DIRECT, store);
    }

    ProducerFixture(TestTransports transports, ObjectStore store) {
        this.transport = transports.open(store, clock, clock::nanoTime, 42, d -> {});
    }

    void topic(String name, int partitions) {
        transport.createTopic(name, partitions, Optional.empty(), Optional.empty());
    }

    ProducerImpl producer(ProducerConfig config) {
        return producer(config, Duration.ZERO);
    }

    ProducerImpl producer(ProducerConfig config, Duration backoff) {
        ProducerImpl p = new ProducerImpl(transport, config, clock, clock::nanoTime, timer,
                new SplittableRandom(7 + producers.size()), backoff);
        producers.add(p);
        return p;
    }

    /** Everything in a partition, from offset 0. */
    List<Transport.Fetched> readAll(String topic, int partition) {
        List<Transport.Fetched> all = new ArrayList<>();
        long offset = transport.offsets(topic, partition)[0];
        while (true) {
            Transport.FetchResult r = transport.fetch(topic, partition, offset, 10_000, Long.MAX_VALUE, Duration.ZERO);
            if (r.records().isEmpty()) {
                return all;
            }
            all.addAll(r.records());
            offset = r.records().get(r.records().size() - 1).offset() + 1;
        }
    }

    static String text(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Waits for work on other threads (not for time to pass): fails after 10 s. */
    static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met within 10 s").isLessThan(deadline);
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    @Override
    public void close() {
        producers.forEach(p -> p.close(Duration.ZERO));
        transport.close();
    }
}
