package io.silt.functions.observe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.PrintStream;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Consumer lag as CloudWatch metrics without a CloudWatch call: one line per topic and group in the Embedded Metric
 * Format (EMF), which CloudWatch Logs turns into the metric {@value #METRIC} in namespace {@value #NAMESPACE}, with
 * dimension sets {@code [Function]} (what the stack's lag alarm watches: its Maximum is the largest lag) and
 * {@code [Function, Topic, Group]}. The compaction function publishes after every run (every 5 minutes).
 *
 * <p>The lines go to standard output as they are, not through the logger: CloudWatch reads EMF only from a log
 * event that is a JSON object, and the console log format puts a timestamp and level before every message.
 */
@ApplicationScoped
public class LagMetricLog {
    /** The CloudWatch namespace of the metric. */
    public static final String NAMESPACE = "Silt";
    /** The metric: records a group has not yet consumed, summed over a topic's partitions. */
    public static final String METRIC = "ConsumerLag";

    private final LagMonitor monitor;
    private final ObjectMapper json;
    private final PrintStream out;
    private final Clock clock;

    @Inject
    public LagMetricLog(LagMonitor monitor, ObjectMapper json) {
        this(monitor, json, System.out, Clock.systemUTC());
    }

    LagMetricLog(LagMonitor monitor, ObjectMapper json, PrintStream out, Clock clock) {
        this.monitor = monitor;
        this.json = json;
        this.out = out;
        this.clock = clock;
    }

    /** Measures the lag of every group now (reads the bucket) and prints a line for each, labelled {@code function}. */
    public void publish(String function) {
        monitor.refreshNow();
        for (String line : lines(function, monitor.lags(), clock.millis())) {
            out.println(line);
        }
    }

    /** The EMF lines for {@code lags}, measured at {@code timestampMillis}. */
    List<String> lines(String function, List<LagMonitor.Lag> lags, long timestampMillis) {
        Map<String, Object> directive = Map.of(
                "Namespace", NAMESPACE,
                "Dimensions", List.of(List.of("Function"), List.of("Function", "Topic", "Group")),
                "Metrics", List.of(Map.of("Name", METRIC, "Unit", "Count")));
        Map<String, Object> aws = Map.of("Timestamp", timestampMillis, "CloudWatchMetrics", List.of(directive));
        return lags.stream().map(lag -> {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("_aws", aws);
            line.put("Function", function);
            line.put("Topic", lag.topic());
            line.put("Group", lag.group());
            line.put(METRIC, lag.records());
            try {
                return json.writeValueAsString(line);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot write a metric line", e);
            }
        }).toList();
    }
}
