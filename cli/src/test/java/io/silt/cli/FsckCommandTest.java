package io.silt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.silt.storage.ObjectInfo;
import io.silt.storage.ObjectStore;
import io.silt.storage.ObjectStores;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FsckCommandTest {
    @TempDir
    Path dir;

    private String store;

    @BeforeEach
    void twoTopics() {
        store = "file:" + dir;
        assertThat(Cli.run("topics", "create", "orders", "--partitions", "2", "--store", store).exitCode()).isZero();
        assertThat(Cli.run("topics", "create", "small", "--store", store).exitCode()).isZero();
        // Records large enough to travel as segments (past the 64 KiB inline threshold), and small inline ones.
        SplittableRandom random = new SplittableRandom(7);
        String big = IntStream.range(0, 2_000).mapToObj(i -> randomHex(random, 100)).collect(Collectors.joining("\n"));
        assertThat(Cli.runWithInput(big + "\n", "produce", "orders", "--key", "k", "--store", store).exitCode())
                .isZero();
        assertThat(Cli.runWithInput("a\nb\nc\n", "produce", "small", "--store", store).exitCode()).isZero();
    }

    private static String randomHex(SplittableRandom random, int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private List<String> listing() {
        try (ObjectStore s = ObjectStores.open(store)) {
            return s.listAll("").stream().map(o -> o.key() + " " + o.size() + " " + o.etag()).toList();
        }
    }

    private List<String> segmentKeys() {
        try (ObjectStore s = ObjectStores.open(store)) {
            return s.listAll("data/orders/").stream().map(ObjectInfo::key).filter(k -> k.contains("/seg/")).toList();
        }
    }

    @Test
    void aHealthyBucketIsOkAndUnchanged() {
        List<String> before = listing();

        Cli.Run run = Cli.run("fsck", "--store", store);

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.outLines()).hasSize(3).allMatch(l -> l.contains(": OK, offsets 0.."));
        assertThat(run.out()).contains("small-0: OK, offsets 0..3, 1 commits, no checkpoint, 0 segments, 0 orphans, "
                + "0 awaiting GC");
        String orders = run.outLines().stream().filter(l -> l.contains("..2000,")).findFirst().orElseThrow();
        assertThat(orders).doesNotContain(" 0 segments").contains("0 orphans");
        assertThat(run.err()).contains("3 partitions of 2 topics checked, no problems");
        assertThat(listing()).as("fsck only reads").isEqualTo(before);
    }

    @Test
    void oneTopicAfterCompaction() {
        assertThat(Cli.run("compact", "--store", store).exitCode()).isZero();
        assertThat(Cli.runWithInput("d\ne\n", "produce", "small", "--store", store).exitCode()).isZero();
        List<String> before = listing();

        Cli.Run run = Cli.run("fsck", "small", "--store", store);

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.outLines()).singleElement().asString()
                .startsWith("small-0: OK, offsets 0..5, 1 commits after checkpoint 1, ")
                .endsWith("1 awaiting GC");
        assertThat(listing()).isEqualTo(before);
    }

    @Test
    void aCorruptSegmentIsAProblemNamingIt() {
        String key = segmentKeys().get(0);
        try (ObjectStore s = ObjectStores.open(store)) {
            byte[] bytes = s.get(key).orElseThrow().bytes();
            bytes[bytes.length / 2] ^= 0x5a;
            s.put(key, bytes);
        }
        List<String> before = listing();

        Cli.Run run = Cli.run("fsck", "--store", store);

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains(": PROBLEM: ").contains(key).contains("small-0: OK");
        assertThat(run.err()).contains("1 with problems");
        assertThat(listing()).isEqualTo(before);
    }

    @Test
    void aMissingSegmentIsAProblem() {
        String key = segmentKeys().get(0);
        try (ObjectStore s = ObjectStores.open(store)) {
            s.delete(key);
        }

        Cli.Run run = Cli.run("fsck", "orders", "--store", store);

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("PROBLEM: segment '" + key + "' is missing");
    }

    @Test
    void aGapInTheCommitNumbersIsAProblem() {
        assertThat(Cli.runWithInput("d\n", "produce", "small", "--store", store).exitCode()).isZero();
        assertThat(Cli.runWithInput("e\n", "produce", "small", "--store", store).exitCode()).isZero();
        try (ObjectStore s = ObjectStores.open(store)) {
            String second = s.listAll("data/small/").stream().map(ObjectInfo::key)
                    .filter(k -> k.endsWith("/log/00000000000000000002")).findFirst().orElseThrow();
            s.delete(second);
        }

        Cli.Run run = Cli.run("fsck", "small", "--store", store);

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.outLines()).singleElement().asString().startsWith("small-0: PROBLEM: ")
                .contains("00000000000000000002 is missing").contains("a gap in the commit numbers");
    }

    @Test
    void anUnknownTopicIsOneLine() {
        Cli.Run run = Cli.run("fsck", "nope", "--store", store);

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.errLines()).singleElement().asString().contains("topic 'nope' does not exist");
    }
}
