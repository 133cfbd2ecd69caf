package io.silt.client;

import io.silt.client.internal.DirectTransport;
import io.silt.client.internal.Transport;
import io.silt.client.internal.TransportClient;
import io.silt.storage.ObjectStore;
import io.silt.storage.log.segment.Header;
import io.silt.storage.log.segment.Record;
import io.silt.storage.testing.ManualClock;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A client on a given store (or a service) with a manual clock, and test data appended through the transport. */
final class QueueFixture implements AutoCloseable {
    final ManualClock clock = new ManualClock();
    final Transport transport;
    final TransportClient client;

    QueueFixture(TestTransports transports, ObjectStore store) {
        transport = transports.open(store, clock, clock::nanoTime, 42, DirectTransport.Sleeper.REAL);
        client = new TransportClient(transport);
    }

    void createTopic(String name, int partitions) {
        transport.createTopic(name, partitions, Optional.empty(), Optional.empty());
    }

    /** Appends {@code count} records to every partition, in batches of {@code batch}; values are "p-i". */
    void fill(String topic, int partitions, int count, int batch) {
        for (int p = 0; p < partitions; p++) {
            for (int i = 0; i < count; i += batch) {
                List<Record> records = new ArrayList<>();
                for (int j = i; j < Math.min(count, i + batch); j++) {
                    records.add(new Record(bytes("k" + j), bytes(p + "-" + j),
                            List.of(new Header("h", bytes("v" + j))), clock.millis()));
                }
                transport.append(topic, p, 0, 0, 0, records).join();
            }
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        client.close();
    }
}
