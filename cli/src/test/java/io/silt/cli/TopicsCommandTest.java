package io.silt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TopicsCommandTest {
    @TempDir
    Path dir;

    private Cli.Run silt(String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--store";
        all[args.length + 1] = "file:" + dir;
        return Cli.run(all);
    }

    @Test
    void createListDescribeAlterPurgeDelete() {
        Cli.Run created = silt("topics", "create", "orders", "--partitions", "3", "--retention", "2d");
        assertThat(created.exitCode()).as(created.err()).isZero();
        assertThat(created.out()).isEmpty();
        assertThat(created.err()).contains("created topic orders: 3 partitions, retention 2d");
        assertThat(silt("topics", "create", "audit").exitCode()).isZero();

        Cli.Run list = silt("topics", "list");
        assertThat(list.exitCode()).isZero();
        assertThat(list.outLines()).containsExactlyInAnyOrder("audit", "orders");

        assertThat(Cli.runWithInput("a\nb\n", "produce", "orders", "--store", "file:" + dir).exitCode()).isZero();
        Cli.Run described = silt("topics", "describe", "orders");
        assertThat(described.exitCode()).as(described.err()).isZero();
        assertThat(described.out()).contains("partitions:  3").contains("retention:   2d").contains("production:")
                .contains("consumption:").contains("queue:").contains("latency:");

        Cli.Run altered = silt("topics", "alter", "orders", "--retention", "forever");
        assertThat(altered.exitCode()).as(altered.err()).isZero();
        assertThat(silt("topics", "describe", "orders").out()).contains("retention:   forever");

        Cli.Run purged = silt("topics", "purge", "orders");
        assertThat(purged.exitCode()).as(purged.err()).isZero();
        assertThat(silt("consume", "orders", "--from-beginning", "--timeout", "1s").outLines()).isEmpty();

        Cli.Run deleted = silt("topics", "delete", "orders");
        assertThat(deleted.exitCode()).as(deleted.err()).isZero();
        assertThat(silt("topics", "list").outLines()).containsExactly("audit");
        assertThat(silt("topics", "delete", "orders").exitCode()).isEqualTo(1);
    }

    @Test
    void theStoreMayAlsoBeGivenBeforeTheCommand() {
        assertThat(Cli.run("--store", "file:" + dir, "topics", "create", "t1").exitCode()).isZero();
        assertThat(Cli.run("--store", "file:" + dir, "topics", "list").outLines()).containsExactly("t1");
        assertThat(Cli.run("topics", "--store", "file:" + dir, "list").outLines()).containsExactly("t1");
    }

    @Test
    void statsPrintsTheFourFiguresOnceOrWatching() {
        silt("topics", "create", "t");
        Cli.Run once = silt("stats", "t");
        assertThat(once.exitCode()).as(once.err()).isZero();
        assertThat(once.outLines()).singleElement().asString()
                .contains("t production").contains("consumption").contains("queue").contains("latency");

        Cli.Run watched = silt("stats", "t", "--watch", "--interval", "100ms", "--count", "3");
        assertThat(watched.exitCode()).isZero();
        assertThat(watched.outLines()).hasSize(3);
    }
}
