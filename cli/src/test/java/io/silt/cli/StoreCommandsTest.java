package io.silt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreCommandsTest {
    @TempDir
    Path dir;

    @Test
    void verifyStorePassesOnAFileStore() {
        Cli.Run run = Cli.run("verify-store", "file:" + dir, "--rounds", "3");

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("PASS").doesNotContain("FAIL");
    }

    @Test
    void compactRunsOncePerPartition() {
        String store = "file:" + dir;
        Cli.run("topics", "create", "a", "--partitions", "2", "--store", store);
        Cli.run("topics", "create", "b", "--store", store);
        Cli.runWithInput("1\n2\n3\n", "produce", "a", "--key", "k", "--store", store);

        Cli.Run all = Cli.run("compact", "--store", store);
        assertThat(all.exitCode()).as(all.err()).isZero();
        assertThat(all.outLines()).hasSize(3).anyMatch(l -> l.contains("checkpointed"));

        Cli.Run one = Cli.run("compact", "b", "--store", store);
        assertThat(one.exitCode()).isZero();
        assertThat(one.outLines()).hasSize(1);
    }
}
