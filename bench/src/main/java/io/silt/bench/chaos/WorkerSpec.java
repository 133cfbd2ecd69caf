package io.silt.bench.chaos;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What one chaos worker JVM does, passed on its command line as {@code key=value} arguments.
 *
 * @param role what it runs
 * @param name the worker's name, e.g. {@code p0}; stays the same across restarts
 * @param instance how many times the worker was started before (its history is {@code name.instance.hist})
 * @param historyDir where histories go
 * @param target the store, e.g. {@code file:/tmp/x} or {@code s3://bucket/prefix?endpoint=...}
 * @param seed this instance's randomness: its faults, its producer id, its choices
 * @param faultRate the chance of an injected error per request (lost write responses at half of it)
 * @param records a producer's quota over all its instances
 * @param ratePerSecond a producer's send rate (0: as fast as it can)
 * @param valueBytes the size of each record's value
 * @param queueEvery every n-th record of a producer goes to the queue topic
 * @param poisonEvery a queue message whose checksum is a multiple of this is always nacked (so dead-lettered)
 * @param grace the GC grace period of writers and compactors
 * @param visibility the queue consumers' visibility timeout
 * @param maxDeliveries the queue's deliveries before dead-lettering
 * @param session the group consumers' session timeout and the compactor lease duration
 */
public record WorkerSpec(Role role, String name, int instance, Path historyDir, String target, long seed,
                         double faultRate, long records, double ratePerSecond, int valueBytes, int queueEvery,
                         int poisonEvery, Duration grace, Duration visibility, int maxDeliveries, Duration session) {

    /** What a worker runs. */
    public enum Role { PRODUCER, GROUP_CONSUMER, QUEUE_CONSUMER, COMPACTOR }

    /** The topic group consumers read. */
    public static final String EVENTS = "events";
    /** The topic queue consumers read. */
    public static final String JOBS = "jobs";
    /** The queue's dead-letter topic. */
    public static final String DEAD_LETTERS = "jobs.dlq";
    /** The consumer group. */
    public static final String GROUP = "chaos";

    /** The process name in histories: {@code name.instance}. */
    public String process() {
        return name + "." + instance;
    }

    /** The same worker started once more, with its own seed. */
    public WorkerSpec restarted(long newSeed) {
        return new WorkerSpec(role, name, instance + 1, historyDir, target, newSeed, faultRate, records,
                ratePerSecond, valueBytes, queueEvery, poisonEvery, grace, visibility, maxDeliveries, session);
    }

    List<String> toArgs() {
        List<String> out = new ArrayList<>();
        out.add("role=" + role);
        out.add("name=" + name);
        out.add("instance=" + instance);
        out.add("historyDir=" + historyDir);
        out.add("target=" + target);
        out.add("seed=" + seed);
        out.add("faultRate=" + faultRate);
        out.add("records=" + records);
        out.add("rate=" + ratePerSecond);
        out.add("valueBytes=" + valueBytes);
        out.add("queueEvery=" + queueEvery);
        out.add("poisonEvery=" + poisonEvery);
        out.add("graceMs=" + grace.toMillis());
        out.add("visibilityMs=" + visibility.toMillis());
        out.add("maxDeliveries=" + maxDeliveries);
        out.add("sessionMs=" + session.toMillis());
        return out;
    }

    static WorkerSpec parse(String[] args) {
        Map<String, String> m = new HashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            m.put(a.substring(0, eq), a.substring(eq + 1));
        }
        return new WorkerSpec(Role.valueOf(m.get("role").toUpperCase(Locale.ROOT)), m.get("name"),
                Integer.parseInt(m.get("instance")), Path.of(m.get("historyDir")), m.get("target"),
                Long.parseLong(m.get("seed")), Double.parseDouble(m.get("faultRate")), Long.parseLong(m.get("records")),
                Double.parseDouble(m.get("rate")), Integer.parseInt(m.get("valueBytes")),
                Integer.parseInt(m.get("queueEvery")), Integer.parseInt(m.get("poisonEvery")),
                Duration.ofMillis(Long.parseLong(m.get("graceMs"))),
                Duration.ofMillis(Long.parseLong(m.get("visibilityMs"))), Integer.parseInt(m.get("maxDeliveries")),
                Duration.ofMillis(Long.parseLong(m.get("sessionMs"))));
    }
}
