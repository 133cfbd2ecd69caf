package io.silt.functions.observe;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The embedded-metric lines: what CloudWatch needs to make the metric the stack's lag alarm watches. */
class LagMetricLogTest {
    private final ObjectMapper json = new ObjectMapper();
    private final LagMetricLog log = new LagMetricLog(null, json, new PrintStream(new ByteArrayOutputStream(), true),
            Clock.fixed(Instant.ofEpochMilli(1_700_000_000_000L), ZoneOffset.UTC));

    @Test
    void oneEmbeddedMetricLinePerTopicAndGroup() throws Exception {
        List<String> lines = log.lines("silt-compaction", List.of(new LagMonitor.Lag("orders", "billing", 42),
                new LagMonitor.Lag("logs \"eu\"", "audit", 0)), 1_700_000_000_000L);

        assertThat(lines).hasSize(2).allSatisfy(l -> assertThat(l).doesNotContain("\n"));
        JsonNode first = json.readTree(lines.get(0));
        JsonNode directive = first.at("/_aws/CloudWatchMetrics/0");
        assertThat(first.at("/_aws/Timestamp").asLong()).isEqualTo(1_700_000_000_000L);
        assertThat(directive.get("Namespace").asText()).isEqualTo("Silt");
        assertThat(directive.at("/Metrics/0/Name").asText()).isEqualTo("ConsumerLag");
        assertThat(directive.at("/Metrics/0/Unit").asText()).isEqualTo("Count");
        assertThat(directive.get("Dimensions").toString())
                .isEqualTo("[[\"Function\"],[\"Function\",\"Topic\",\"Group\"]]");
        // Every dimension and the metric are top-level members of the same object, as EMF requires.
        assertThat(first.get("Function").asText()).isEqualTo("silt-compaction");
        assertThat(first.get("Topic").asText()).isEqualTo("orders");
        assertThat(first.get("Group").asText()).isEqualTo("billing");
        assertThat(first.get("ConsumerLag").asLong()).isEqualTo(42);
        assertThat(json.readTree(lines.get(1)).get("Topic").asText()).isEqualTo("logs \"eu\"");
    }

    @Test
    void noGroupsNoLines() {
        assertThat(log.lines("f", List.of(), 0)).isEmpty();
    }
}
