package io.silt.bench.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/** The short chaos run of CI: {@code --quick} with kills and pauses on one store, asserting the checker's verdict. */
final class ChaosRunSupport {
    private ChaosRunSupport() {}

    /**
     * Runs {@code --quick} with {@code records} and a fixed seed on {@code store} under {@code dir}; checks it. The
     * records are spread over 30 s and workers may be killed after 5 s of life, so that kills and a pause happen
     * however fast the machine produces (a quiet machine finished 10,000 records before the second kill).
     */
    static void runAndCheck(String store, int records, Path dir) {
        ChaosBench.Options options = ChaosBench.parse(new String[] {"--quick", "--stores", store, "--seed", "9",
                "--records", Integer.toString(records), "--rate", Integer.toString(records / 30),
                "--min-uptime-ms", "5000", "--dir", dir.toString()});
        ChaosRun.Outcome outcome = ChaosBench.run(options, store);
        ByteArrayOutputStream report = new ByteArrayOutputStream();
        ChaosBench.print(outcome, options, new PrintStream(report, true, StandardCharsets.UTF_8));
        String text = report.toString(StandardCharsets.UTF_8);
        System.getLogger(ChaosRunSupport.class.getName()).log(System.Logger.Level.INFO, text);

        assertThat(outcome.violations()).as(text).isEmpty();
        assertThat(outcome.drained()).as(text).isTrue();
        Map<String, Long> c = outcome.counters();
        assertThat(c.getOrDefault("produce.sent", 0L)).as(text).isEqualTo(records);
        assertThat(outcome.records()).as(text).isGreaterThan(records / 2);
        for (String fault : new String[] {"fault.server_error", "fault.throttled", "fault.conflict", "fault.io",
                "fault.lost_response", "fault.latency_spike"}) {
            assertThat(c.getOrDefault(fault, 0L)).as(fault + " injected; " + text).isPositive();
        }
        assertThat(outcome.kills().values().stream().mapToInt(Integer::intValue).sum()).as(text)
                .isGreaterThanOrEqualTo(2);
        assertThat(outcome.pauses().values().stream().mapToInt(Integer::intValue).sum()).as(text)
                .isGreaterThanOrEqualTo(1);
        // compaction worked throughout: it merged entries (on S3Proxy under kills a short run may never complete a
        // whole bucket pass, and its runs end fenced or on their budget)
        assertThat(c.getOrDefault("compaction.entries_merged", 0L)).as(text).isPositive();
        assertThat(c.getOrDefault("queue.nack_ok", 0L)).as(text).isPositive();
    }
}
