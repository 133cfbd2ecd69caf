package io.silt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.silt.storage.ObjectStore;
import io.silt.storage.ObjectStores;
import io.silt.storage.log.CompactorLease;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.SplittableRandom;
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
        assertThat(all.outLines()).singleElement().asString().contains("completed")
                .contains("3 partitions visited, 0 failed").contains("1 checkpoints");

        Cli.Run one = Cli.run("compact", "b", "--store", store);
        assertThat(one.exitCode()).isZero();
        assertThat(one.outLines()).hasSize(1);

        Cli.Run two = Cli.run("compact", "a", "--store", store);
        assertThat(two.exitCode()).isZero();
        assertThat(two.outLines()).as("compacted a moment ago").hasSize(2).allMatch(l -> l.contains(": up_to_date"));
    }

    @Test
    void compactIsBusyWhileAnotherCompactorHoldsTheLease() {
        String store = "file:" + dir;
        Cli.run("topics", "create", "a", "--store", store);
        try (ObjectStore bucket = ObjectStores.open(store)) {
            CompactorLease other = new CompactorLease(bucket, "silt serve on host-b", Duration.ofMinutes(2),
                    Duration.ofSeconds(20), Clock.systemUTC(), System::nanoTime, new SplittableRandom());
            assertThat(other.tryAcquire()).isInstanceOf(CompactorLease.Acquisition.Acquired.class);

            Cli.Run all = Cli.run("compact", "--store", store);
            assertThat(all.exitCode()).isEqualTo(1);
            assertThat(all.out()).contains("busy").contains("silt serve on host-b");
            assertThat(all.err()).contains("busy: the compactor lease is held by silt serve on host-b")
                    .contains("nothing was done");
            Cli.Run one = Cli.run("compact", "a", "--store", store);
            assertThat(one.exitCode()).isEqualTo(1);
            assertThat(one.out()).isEmpty();
            assertThat(one.err()).contains("busy").contains("silt serve on host-b");
            assertThat(other.isHeld()).isTrue();

            other.release();
            assertThat(Cli.run("compact", "--store", store).exitCode()).isZero();
        }
    }
}
