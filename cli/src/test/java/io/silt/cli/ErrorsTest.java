package io.silt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input: a non-zero exit and one line on standard error, without a stack trace. */
class ErrorsTest {
    @TempDir
    Path dir;

    private static void assertOneLineError(Cli.Run run, int code, String contains) {
        assertThat(run.exitCode()).as(run.err()).isEqualTo(code);
        assertThat(run.out()).isEmpty();
        assertThat(run.errLines()).as(run.err()).hasSize(1);
        assertThat(run.err()).contains(contains).doesNotContain("\tat ").doesNotContain("Exception");
    }

    @Test
    void unknownTopic() {
        assertOneLineError(Cli.run("consume", "nope", "--store", "file:" + dir), 1, "topic 'nope' does not exist");
        assertOneLineError(Cli.runWithInput("x\n", "produce", "nope", "--store", "file:" + dir), 1, "nope");
        assertOneLineError(Cli.run("topics", "describe", "nope", "--store", "file:" + dir), 1, "nope");
    }

    @Test
    void invalidTopicName() {
        assertOneLineError(Cli.run("topics", "create", "bad name!", "--store", "file:" + dir), 1,
                "topic name 'bad name!'");
    }

    @Test
    void malformedStore() {
        assertOneLineError(Cli.run("topics", "list", "--store", "s3://"), 1, "no bucket name");
        assertOneLineError(Cli.run("topics", "list", "--store", "bogus:x"), 1, "unknown store URI scheme");
    }

    @Test
    void badServiceUrlsAreRefusedClearly() {
        assertOneLineError(Cli.run("topics", "list", "--url", "localhost:8080"), 1,
                "a Silt service URL starts with http:// or https://");
        assertOneLineError(Cli.run("topics", "list", "--url", "http://localhost:8080", "--store", "mem:"), 1,
                "--url and --store both given");
        assertOneLineError(Cli.run("compact", "--url", "http://localhost:8080"), 1,
                "this command works on a store, not through the service");
        assertOneLineError(Cli.run("verify-store", "--url", "http://localhost:8080"), 1,
                "verify-store checks a store, not a service");
    }

    @Test
    void aServiceThatIsNotThereIsOneLine() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        Cli.Run run = Cli.run("topics", "list", "--url", "http://127.0.0.1:" + port);
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.errLines()).hasSize(1);
        assertThat(run.err()).contains("127.0.0.1:" + port);
    }

    @Test
    void oversizeRecord() {
        assertThat(Cli.run("topics", "create", "t", "--store", "file:" + dir).exitCode()).isZero();
        String big = "x".repeat((1 << 20) + 10);

        Cli.Run run = Cli.runWithInput("small\n" + big + "\n", "produce", "t", "--store", "file:" + dir);

        assertOneLineError(run, 1, "line 2:");
    }

    @Test
    void verboseAddsTheStackTrace() {
        Cli.Run run = Cli.run("topics", "list", "--store", "bogus:x", "--verbose");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("\tat ");
    }

    @Test
    void usageErrorsExitWithTwo() {
        Cli.Run run = Cli.run("topics", "create");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines()).hasSize(2);
        assertThat(run.err()).contains("Missing required parameter").contains("--help");
        assertThat(Cli.run("no-such-command").exitCode()).isEqualTo(2);
    }

    @Test
    void commandsThatCannotRunSaySo() {
        assertOneLineError(Cli.run("serve", "--runner", "no-such.jar"), 1, "the service's jar no-such.jar does not exist");
        assertOneLineError(Cli.run("bench", "nope"), 1, "unknown benchmark suite 'nope'");
    }

    @Test
    void everyCommandHasHelp() {
        for (String[] cmd : new String[][] {{"--help"}, {"demo", "--help"}, {"topics", "create", "--help"},
                {"produce", "--help"}, {"consume", "--help"}, {"verify-store", "--help"}, {"compact", "--help"},
                {"fsck", "--help"},
                {"groups", "reset-offsets", "--help"}, {"queue", "receive", "--help"}}) {
            Cli.Run run = Cli.run(cmd);
            assertThat(run.exitCode()).isZero();
            assertThat(run.out()).startsWith("Usage: silt");
        }
    }
}
