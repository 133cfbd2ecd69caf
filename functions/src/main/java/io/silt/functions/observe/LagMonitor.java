package io.silt.functions.observe;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.Startup;
import io.silt.client.Admin;
import io.silt.client.GroupInfo;
import io.silt.functions.SiltRuntime;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Consumer lag per topic and group, {@code silt.group.lag{topic,group}} (records: end offset minus committed
 * offset, summed over the topic's partitions), and the summed end offsets per topic, {@code silt.topic.end.offset}.
 *
 * <p>Computing lag reads the bucket (a LIST of groups, then each group's log and the partitions' heads), so it is
 * never done inside a scrape: a scrape reads the last figures and, when they are older than
 * {@code silt.metrics.lag-interval-ms} (default 30 s), starts one refresh in the background; the next scrape sees
 * its result. Without scrapes nothing is read (an idle service makes no requests). {@code silt.lag.age.seconds}
 * tells how old the figures are.
 */
@Startup
@ApplicationScoped
public class LagMonitor {
    private static final Logger LOG = Logger.getLogger(LagMonitor.class);

    /** One topic's lag for one group. */
    public record Lag(String topic, String group, long records) {}

    private final SiltRuntime silt;
    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private final MultiGauge lagGauge;
    private final MultiGauge endGauge;
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "silt-lag-monitor");
        t.setDaemon(true);
        return t;
    });
    private volatile List<Lag> lags = List.of();
    private volatile long refreshedNanos;
    private volatile boolean everRefreshed;

    public LagMonitor(SiltRuntime silt, MeterRegistry registry,
                      @ConfigProperty(name = "silt.metrics.lag-interval-ms", defaultValue = "30000") long intervalMs) {
        this.silt = silt;
        this.intervalNanos = Duration.ofMillis(intervalMs).toNanos();
        this.nanoTime = System::nanoTime;
        this.lagGauge = MultiGauge.builder("silt.group.lag").baseUnit("records")
                .description("records not yet consumed by a group, per topic").register(registry);
        this.endGauge = MultiGauge.builder("silt.topic.end.offset").baseUnit("records")
                .description("the sum of a topic's partitions' end offsets, as last seen by the lag monitor")
                .register(registry);
        Gauge.builder("silt.lag.age.seconds", this, LagMonitor::ageSecondsAndRefresh).baseUnit("seconds")
                .description("age of the lag figures; reading it starts a refresh when they are stale")
                .register(registry);
    }

    /** The figures of the last refresh. */
    public List<Lag> lags() {
        return lags;
    }

    private double ageSecondsAndRefresh() {
        long age = nanoTime.getAsLong() - refreshedNanos;
        if ((!everRefreshed || age >= intervalNanos) && refreshing.compareAndSet(false, true)) {
            executor.execute(() -> {
                try {
                    refreshNow();
                } finally {
                    refreshing.set(false);
                }
            });
        }
        return everRefreshed ? age / 1e9 : -1;
    }

    /** Reads the bucket and replaces the figures; on failure keeps the old ones. */
    public void refreshNow() {
        try {
            Admin admin = silt.client().admin();
            List<Lag> out = new ArrayList<>();
            Map<String, Long> ends = new HashMap<>();
            for (String group : admin.listGroups()) {
                Map<String, Long> perTopic = new HashMap<>();
                GroupInfo info = admin.describeGroup(group);
                for (GroupInfo.PartitionLag p : info.partitions()) {
                    perTopic.merge(p.partition().topic(), p.lagRecords(), Long::sum);
                }
                perTopic.forEach((topic, lag) -> out.add(new Lag(topic, group, lag)));
            }
            for (String topic : admin.listTopics()) {
                long end = 0;
                for (var p : admin.describeTopic(topic).partitionInfo()) {
                    end += p.endOffset();
                }
                ends.put(topic, end);
            }
            lags = List.copyOf(out);
            lagGauge.register(out.stream().map(l -> MultiGauge.Row.of(Tags.of("topic", l.topic(), "group",
                    l.group()), l.records())).toList(), true);
            endGauge.register(ends.entrySet().stream().map(e -> MultiGauge.Row.of(Tags.of("topic", e.getKey()),
                    e.getValue())).toList(), true);
            refreshedNanos = nanoTime.getAsLong();
            everRefreshed = true;
        } catch (RuntimeException e) {
            LOG.warnf("could not compute consumer lag (keeping the last figures): %s", e.getMessage());
        }
    }

    @PreDestroy
    void close() {
        executor.shutdownNow();
    }
}
