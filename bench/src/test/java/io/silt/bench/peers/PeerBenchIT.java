package io.silt.bench.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The peers benchmark with tiny counts against real servers in child processes: S3Proxy always (its jar is a build
 * dependency); Kafka only with {@code -Dsilt.peers.kafka=true} (its first use downloads the broker from Maven
 * Central) and RabbitMQ only with {@code -Dsilt.peers.rabbitmq=true} (it needs Debian's rabbitmq-server).
 */
class PeerBenchIT {
    @TempDir
    Path dir;

    @Test
    void comparesSiltThroughS3ProxyWithS3ProxysRawPutBandwidth() throws Exception {
        List<String> csv = run("s3proxy");
        assertThat(PeerBenchTest.value(csv, "silt-s3proxy,produce,MB/s")).isPositive();
        assertThat(PeerBenchTest.value(csv, "s3proxy-raw,put,MB/s")).isPositive();
        assertThat(PeerBenchTest.value(csv, "silt-s3proxy,fraction of raw put,ratio")).isPositive();
    }

    @Test
    void runsKafkaFromMavenCentral() throws Exception {
        assumeTrue(Boolean.getBoolean("silt.peers.kafka"), "Kafka's broker is fetched from Maven Central on first use;"
                + " enable with -Dsilt.peers.kafka=true");
        List<String> csv = run("silt,kafka,kafka-fsync");
        assertThat(PeerBenchTest.value(csv, "kafka,produce,records/s")).isPositive();
        assertThat(PeerBenchTest.value(csv, "kafka,e2e p99,ms")).isPositive();
        assertThat(PeerBenchTest.value(csv, "kafka-fsync,produce,records/s")).isPositive();
    }

    @Test
    void runsRabbitMqFromDebiansPackage() throws Exception {
        assumeTrue(Boolean.getBoolean("silt.peers.rabbitmq"), "RabbitMQ needs Debian's rabbitmq-server; enable with"
                + " -Dsilt.peers.rabbitmq=true");
        List<String> csv = run("rabbitmq");
        assertThat(PeerBenchTest.value(csv, "rabbitmq,produce,records/s")).isPositive();
        assertThat(PeerBenchTest.value(csv, "rabbitmq,consume,MB/s")).isPositive();
    }

    private List<String> run(String systems) throws Exception {
        Path out = dir.resolve("out");
        ByteArrayOutputStream report = new ByteArrayOutputStream();
        int status = PeerBench.runCli(new String[] {"--systems", systems, "--records", "3000", "--warmup-records",
                "500", "--rate", "400", "--latency-warmup", "0.2", "--latency-seconds", "0.5", "--dir",
                dir.toString(), "--out", out.toString()}, new PrintStream(report, true, StandardCharsets.UTF_8),
                System.err);
        assertThat(status).isZero();
        assertThat(report.toString(StandardCharsets.UTF_8)).doesNotContain("skipped:");
        return Files.readAllLines(out.resolve("peers.csv"));
    }
}
