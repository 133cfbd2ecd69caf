package io.silt.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.silt.bench.CompactionBench.Options;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The quick configuration of the compaction benchmark (six simulated minutes): it reports the table, and the counts,
 * which depend on the simulated clock only, meet the targets.
 */
class CompactionBenchSmokeTest {

    @Test
    void quickRunReportsObjectsAndOpenCostWithinTheTargets() {
        Options o = Options.quick();
        assertThat(o.commits()).isEqualTo(3_600);

        Result result = CompactionBench.run(o, null);

        List<Result.Row> referenced = result.find(CompactionBench.BENCH, CompactionBench.REFERENCED);
        assertThat(referenced).hasSize(2);
        assertThat(referenced.get(0).target()).contains("<= 100");
        assertThat(referenced.get(0).met()).contains(true);
        assertThat(referenced.get(0).value()).isPositive();
        assertThat(referenced.get(1).value()).as("600 commit records since the run at 5 minutes, and more")
                .isGreaterThan(600);
        List<Result.Row> open = result.find(CompactionBench.BENCH, CompactionBench.OPEN_REQUESTS);
        assertThat(open.get(0).met()).contains(true);
        assertThat(open.get(1).value()).isGreaterThan(600);
        assertThat(result.find(CompactionBench.BENCH, "runs")).singleElement()
                .satisfies(r -> assertThat(r.value()).isEqualTo(2));
        assertThat(result.find(CompactionBench.BENCH, "objects awaiting GC (grace period)")).singleElement()
                .satisfies(r -> assertThat(r.value()).as("nothing is older than the grace period yet")
                        .isGreaterThanOrEqualTo(3_600));

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        result.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("| benchmark").contains("open requests");
    }

    @Test
    void parsesTheCommandLine() {
        Options o = CompactionBench.parse(new String[] {"--quick", "--records-per-commit", "5",
                "--compaction-interval-s", "60", "--seed", "7"});
        assertThat(o.commits()).isEqualTo(3_600);
        assertThat(o.recordsPerCommit()).isEqualTo(5);
        assertThat(o.compactionInterval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(o.seed()).isEqualTo(7);
        assertThat(CompactionBench.parse(new String[] {"--help"})).isNull();
    }
}
