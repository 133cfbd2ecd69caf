package io.silt.bench;

import io.silt.bench.SdkBench.Bench;
import io.silt.bench.SdkBench.Options;
import io.silt.client.Consumer;
import io.silt.client.ConsumerConfig;
import io.silt.client.Producer;
import io.silt.client.ProducerRecord;
import io.silt.client.Silt;
import io.silt.client.SiltClient;
import io.silt.client.TopicPartition;
import io.silt.storage.CountingObjectStore;
import io.silt.storage.FileSystemObjectStore;
import io.silt.storage.RequestCounts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * d: requests made while idle, each client over its own {@link CountingObjectStore} (totals by kind) over an
 * {@link AreaCountingStore} (where they went: {@code data} = the partition logs, {@code group} = the group
 * protocol), over the filesystem store, real clock. Topic of 2 partitions, 100 records in it.
 * <ol>
 *   <li>producer: sends 100 records, {@code flush()} (every send acknowledged), then nothing for the window;</li>
 *   <li>assigned consumer (no group, both partitions): reads the 100 records, keeps polling for the settle time
 *       (its back-off grows from 50 ms to 1 s), then polls through the window;</li>
 *   <li>group member (subscribe, default settings): the same once it owns both partitions and has read them.</li>
 * </ol>
 */
final class SdkIdleBench {
    private static final String TOPIC = "idle";
    private static final int PARTITIONS = 2;
    private static final int RECORDS = 100;

    private SdkIdleBench() {}

    private record Counted(SiltClient client, CountingObjectStore counting, AreaCountingStore areas) {
        static Counted open(Path dir) {
            AreaCountingStore areas = new AreaCountingStore(new FileSystemObjectStore(dir)); // fsync on
            CountingObjectStore counting = CountingObjectStore.wrap(areas);
            return new Counted(Silt.builder("file:" + dir.toAbsolutePath()).store(counting).build(), counting,
                    areas);
        }
    }

    static void run(Options o, Path dir, int run, Result.Builder result) {
        double window = o.idleWindow().toMillis() / 1000.0;
        List<TopicPartition> all = List.of(new TopicPartition(TOPIC, 0), new TopicPartition(TOPIC, 1));

        Counted p = Counted.open(dir);
        try (SiltClient client = p.client()) {
            client.admin().createTopic(TOPIC, PARTITIONS);
            try (Producer producer = client.producer()) {
                for (int i = 0; i < RECORDS; i++) {
                    producer.send(ProducerRecord.of(TOPIC, ("k" + i).getBytes(), new byte[o.recordBytes()]));
                }
                producer.flush();
                RequestCounts c0 = p.counting().counts();
                Map<String, Long> a0 = p.areas().snapshot();
                sleep(o.idleWindow());
                RequestCounts d = p.counting().counts().minus(c0);
                Map<String, Long> areas = AreaCountingStore.minus(p.areas().snapshot(), a0);
                String cfg = String.format(Locale.ROOT, "producer, %.0f s after flush()", window);
                report(result, run, cfg, d, areas);
                result.add(Bench.IDLE.title, run, cfg, "requests (all kinds)", d.total(), "0", d.total() == 0);
            }
        }

        Counted c = Counted.open(dir);
        try (SiltClient client = c.client()) {
            ConsumerConfig cc = ConsumerConfig.defaults().withAutoOffsetReset(ConsumerConfig.OffsetReset.EARLIEST);
            try (Consumer consumer = client.consumer(cc)) {
                consumer.assign(all);
                idleConsumer(o, run, result, c, consumer, "assigned consumer, 2 partitions");
            }
        }

        Counted g = Counted.open(dir);
        try (SiltClient client = g.client()) {
            ConsumerConfig cc = ConsumerConfig.defaults().withGroupId("idle-group")
                    .withAutoOffsetReset(ConsumerConfig.OffsetReset.EARLIEST);
            try (Consumer consumer = client.consumer(cc)) {
                consumer.subscribe(List.of(TOPIC));
                idleConsumer(o, run, result, g, consumer, "group member, 2 partitions");
            }
        }
    }

    private static void idleConsumer(Options o, int run, Result.Builder result, Counted counted, Consumer consumer,
                                     String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        int got = 0;
        while (got < RECORDS || consumer.assignment().size() < PARTITIONS) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(what + ": read " + got + " of " + RECORDS + " records in 60 s");
            }
            got += consumer.poll(Duration.ofMillis(100)).size();
        }
        pollFor(consumer, o.idleSettle());
        RequestCounts c0 = counted.counting().counts();
        Map<String, Long> a0 = counted.areas().snapshot();
        long t0 = System.nanoTime();
        pollFor(consumer, o.idleWindow());
        double seconds = (System.nanoTime() - t0) / 1e9;
        RequestCounts d = counted.counting().counts().minus(c0);
        Map<String, Long> areas = AreaCountingStore.minus(counted.areas().snapshot(), a0);
        String cfg = String.format(Locale.ROOT, "%s, %.0f s polling after %.1f s", what, seconds,
                o.idleSettle().toMillis() / 1000.0);
        report(result, run, cfg, d, areas);
        double dataGets = areas.getOrDefault("data " + AreaCountingStore.GET, 0L) / seconds / PARTITIONS;
        result.add(Bench.IDLE.title, run, cfg, "data GETs / s / partition", dataGets, "<= 1", dataGets <= 1.0);
        result.add(Bench.IDLE.title, run, cfg, "LIST (all areas)", d.lists(), "0", d.lists() == 0);
    }

    private static void report(Result.Builder result, int run, String cfg, RequestCounts d, Map<String, Long> areas) {
        result.add(Bench.IDLE.title, run, cfg, "PUT", d.puts());
        result.add(Bench.IDLE.title, run, cfg, "GET", d.gets());
        result.add(Bench.IDLE.title, run, cfg, "GET 404", d.getsNotFound());
        result.add(Bench.IDLE.title, run, cfg, "GET 304", d.getsNotModified());
        result.add(Bench.IDLE.title, run, cfg, "HEAD", d.heads());
        result.add(Bench.IDLE.title, run, cfg, "LIST", d.lists());
        result.add(Bench.IDLE.title, run, cfg, "DELETE", d.deletes());
        areas.forEach((k, v) -> result.add(Bench.IDLE.title, run, cfg, "by area: " + k, v));
    }

    private static void pollFor(Consumer consumer, Duration d) {
        long end = System.nanoTime() + d.toNanos();
        while (System.nanoTime() < end) {
            long left = Math.max(1, (end - System.nanoTime()) / 1_000_000);
            consumer.poll(Duration.ofMillis(Math.min(200, left)));
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
