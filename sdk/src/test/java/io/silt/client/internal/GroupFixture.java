package io.silt.client.internal;

import io.silt.client.Consumer;
import io.silt.client.ConsumerConfig;
import io.silt.client.TestTransports;
import io.silt.storage.CountingObjectStore;
import io.silt.storage.InMemoryObjectStore;
import io.silt.storage.ObjectStore;
import io.silt.storage.log.segment.Record;
import io.silt.storage.testing.ManualClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A client on an in-memory store with a manual clock; waiting advances the clock, so nothing sleeps. Consumers made
 * with {@link #consumer} run their background heartbeat on a manual timer: {@link #advance} (and a poll that waits)
 * moves the clock from one due task to the next and runs each at its due time, on the caller's thread.
 * {@link #freeze} stops one consumer's background work, as if its whole process stalled (a GC pause) or died.
 */
final class GroupFixture implements AutoCloseable {
    final ManualClock clock = new ManualClock();
    private final List<Task> tasks = new ArrayList<>();
    private final Map<Consumer, Timer> timers = new HashMap<>();
    /** The test's own store; through a service ({@link TestTransports#direct()} false) nothing uses it. */
    final CountingObjectStore store;
    final Transport transport;
    final TransportClient client;

    GroupFixture() {
        this(TestTransports.DIRECT);
    }

    GroupFixture(TestTransports transports) {
        this(transports, InMemoryObjectStore::new);
    }

    /** A fixture directly on {@code base} (whose clock is its own). */
    GroupFixture(ObjectStore base) {
        this(clock -> base);
    }

    GroupFixture(java.util.function.Function<ManualClock, ObjectStore> storeOnClock) {
        this(TestTransports.DIRECT, storeOnClock);
    }

    /** A fixture over the store {@code storeOnClock} makes (it gets the fixture's manual clock), or a service. */
    GroupFixture(TestTransports transports, java.util.function.Function<ManualClock, ObjectStore> storeOnClock) {
        store = CountingObjectStore.wrap(storeOnClock.apply(clock));
        transport = transports.open(store, clock, clock::nanoTime, 7, this::advance);
        client = new TransportClient(transport);
    }

    /** Where the groups keep their state: the test's store, or the service's state routes. */
    ObjectStore state() {
        return transport.stateStore();
    }

    /** One consumer's view of the manual timer; frozen, its tasks stay due and run only once thawed. */
    private final class Timer implements ProducerTimer {
        boolean frozen;

        @Override
        public Scheduled schedule(Duration delay, Runnable action) {
            Task t = new Task(this, clock.nanoTime() + delay.toNanos(), action);
            synchronized (tasks) {
                tasks.add(t);
            }
            return () -> {
                synchronized (tasks) {
                    tasks.remove(t);
                }
            };
        }
    }

    private record Task(Timer timer, long due, Runnable action) {}

    /** A consumer on this fixture's client whose background work runs on the manual timer. */
    ConsumerImpl consumer(ConsumerConfig config) {
        Timer timer = new Timer();
        ConsumerImpl c = new ConsumerImpl(transport, config, transport.newRandom(), timer);
        timers.put(c, timer);
        return c;
    }

    /** Stops (or resumes) a consumer's background work: its process stalls, or dies if it never polls again. */
    void freeze(Consumer c, boolean frozen) {
        timers.get(c).frozen = frozen;
    }

    /** Moves the clock by {@code d}, running every background task that falls due at its due time, in order. */
    void advance(Duration d) {
        long target = clock.nanoTime() + d.toNanos();
        while (true) {
            Task next;
            synchronized (tasks) {
                next = tasks.stream().filter(t -> !t.timer().frozen && t.due() <= target)
                        .min(Comparator.comparingLong(Task::due)).orElse(null);
                if (next == null) {
                    break;
                }
                tasks.remove(next);
            }
            if (next.due() > clock.nanoTime()) {
                clock.advance(Duration.ofNanos(next.due() - clock.nanoTime()));
            }
            next.action().run();
        }
        if (target > clock.nanoTime()) {
            clock.advance(Duration.ofNanos(target - clock.nanoTime()));
        }
    }

    void topic(String name, int partitions) {
        transport.createTopic(name, partitions, Optional.empty(), Optional.empty());
    }

    /** Appends {@code n} records to a partition, values {@code p-i}, timestamps from the clock. */
    void produce(String topic, int partition, int n) {
        List<Record> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            batch.add(Record.of(null, (partition + "-" + i).getBytes(StandardCharsets.UTF_8), clock.millis()));
        }
        transport.append(topic, partition, 0, 0, 0, batch).join();
    }

    static ConsumerConfig config(String group) {
        return ConsumerConfig.defaults().withGroupId(group).withAutoOffsetReset(ConsumerConfig.OffsetReset.EARLIEST)
                .withAutoCommitInterval(Duration.ofSeconds(1));
    }

    @Override
    public void close() {
        client.close();
    }
}
