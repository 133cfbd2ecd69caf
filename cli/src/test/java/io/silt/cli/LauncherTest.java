package io.silt.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Runs the real {@code ./silt} launcher script, as a user would. */
class LauncherTest {
    @Test
    void launcherRunsHelp() throws Exception {
        assumeTrue(onPath("bash"), "bash is not installed: the ./silt launcher is a bash script");
        Path root = Path.of("").toAbsolutePath().getParent();
        Path launcher = root.resolve("silt");
        assertThat(launcher).isExecutable();

        // Its own build folder, so the launcher's first-use build does not touch this build's target folder.
        ProcessBuilder pb = new ProcessBuilder("bash", launcher.toString(), "--help")
                .directory(Files.createTempDirectory("silt-launcher").toFile()) // any working directory will do
                .redirectErrorStream(false);
        pb.environment().put("SILT_TARGET", "target-launcher-test");
        Process p = pb.start();
        byte[] err = p.getErrorStream().readAllBytes();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();

        assertThat(p.exitValue()).as(new String(err, StandardCharsets.UTF_8)).isZero();
        assertThat(new String(out, StandardCharsets.UTF_8)).startsWith("Usage: silt").contains("demo");
    }

    private static boolean onPath(String program) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, program))) {
                return true;
            }
        }
        return false;
    }
}
