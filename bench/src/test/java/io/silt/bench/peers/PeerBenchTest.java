package io.silt.bench.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.silt.bench.peers.PeerBench.SystemId;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The peers benchmark's command line, and a tiny run of the part that needs no server: Silt on files. */
class PeerBenchTest {
    @TempDir
    Path dir;

    @Test
    void parsesOptionsAndRejectsUnknownOnes() {
        assertThat(PeerBench.parse(new String[] {"--help"})).isNull();
        PeerBench.Options quick = PeerBench.parse(new String[] {"--quick", "--systems", "silt,s3proxy", "--rate",
                "500", "--linger-ms", "5"});
        assertThat(quick.records()).isEqualTo(50_000);
        assertThat(quick.systems()).isEqualTo(Set.of(SystemId.SILT, SystemId.S3PROXY));
        assertThat(quick.rate()).isEqualTo(500);
        assertThat(quick.linger()).isEqualTo(Duration.ofMillis(5));
        assertThat(PeerBench.parse(new String[0]).systems()).containsExactlyInAnyOrder(SystemId.values());
        assertThatThrownBy(() -> PeerBench.parse(new String[] {"--records"}))
                .hasMessageContaining("missing value after --records");
        assertThatThrownBy(() -> PeerBench.parse(new String[] {"--systems", "nats"})).hasMessageContaining("nats");

        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = PeerBench.runCli(new String[] {"--frobnicate", "1"}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown option --frobnicate", "usage:");
    }

    @Test
    void runsSiltOnFilesAndWritesTheResultFiles() throws Exception {
        Path out = dir.resolve("out");
        ByteArrayOutputStream report = new ByteArrayOutputStream();
        int status = PeerBench.runCli(new String[] {"--systems", "silt", "--records", "3000", "--warmup-records",
                "500", "--rate", "400", "--latency-warmup", "0.2", "--latency-seconds", "0.5", "--dir",
                dir.toString(), "--out", out.toString()}, new PrintStream(report, true, StandardCharsets.UTF_8),
                System.err);

        assertThat(status).isZero();
        assertThat(report.toString(StandardCharsets.UTF_8)).contains("| silt-file", "not measured");
        List<String> csv = Files.readAllLines(out.resolve("peers.csv"));
        assertThat(csv.get(0)).isEqualTo("system,metric,unit,value");
        assertThat(csv).contains("silt-file,records,count,3000");
        assertThat(value(csv, "silt-file,produce,records/s")).isPositive();
        assertThat(value(csv, "silt-file,consume,MB/s")).isPositive();
        assertThat(value(csv, "silt-file,e2e p99,ms")).isPositive();
        assertThat(out.resolve("peers-silt-file-ack.hgrm")).isNotEmptyFile();
        assertThat(out.resolve("peers-silt-file-e2e.hgrm")).isNotEmptyFile();
        try (var left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("out"); // the data was deleted
        }
    }

    static double value(List<String> csv, String prefix) {
        return csv.stream().filter(l -> l.startsWith(prefix + ",")).map(l -> l.substring(prefix.length() + 1))
                .mapToDouble(Double::parseDouble).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + prefix + " in " + csv));
    }
}
