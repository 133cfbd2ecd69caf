package io.silt.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code localstack/docker-compose.yml} is valid: {@code docker-compose config} parses and resolves it without a
 * Docker engine. Skipped, with the reason, where no docker-compose binary is installed.
 */
class ComposeFileTest {
    private static final Path COMPOSE = Path.of(System.getProperty("silt.compose.file",
            "../localstack/docker-compose.yml"));

    private static Path composeBinary() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, "docker-compose");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    @Test
    void dockerComposeAcceptsTheFile() throws IOException, InterruptedException {
        Path binary = composeBinary();
        assumeTrue(binary != null, "no docker-compose on the PATH: the compose file is not validated here");
        Process p = new ProcessBuilder(binary.toString(), "-f", COMPOSE.toString(), "config")
                .redirectErrorStream(true).start();
        String out;
        try (var in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("localstack:", "minio:", "minio-init:");
        for (String service : List.of("s3", "lambda", "apigateway", "events", "iam", "logs", "cloudwatch", "sts",
                "cloudformation", "ssm", "secretsmanager", "sns")) {
            assertThat(out).as("LocalStack SERVICES").containsPattern("SERVICES: .*\\b" + service + "\\b");
        }
    }
}
