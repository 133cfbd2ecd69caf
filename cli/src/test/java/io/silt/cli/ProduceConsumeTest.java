package io.silt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProduceConsumeTest {
    @TempDir
    Path dir;

    private String store;

    @BeforeEach
    void topic() {
        store = "file:" + dir;
        assertThat(Cli.run("topics", "create", "events", "--partitions", "4", "--store", store).exitCode()).isZero();
    }

    private static String lines(String prefix, int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> prefix + "-" + i).collect(Collectors.joining("\n", "", "\n"));
    }

    @Test
    void aThousandPipedLinesComeBackExactlyWithTheOrderOfEachKey() {
        List<String> sent = new ArrayList<>();
        for (String key : List.of("alice", "bob", "carol", "dave")) {
            String input = lines(key, 0, 250);
            sent.addAll(input.lines().toList());
            Cli.Run produced = Cli.runWithInput(input, "produce", "events", "--key", key, "--store", store);
            assertThat(produced.exitCode()).as(produced.err()).isZero();
            assertThat(produced.out()).isEmpty();
            assertThat(produced.err()).contains("produced 250 records").containsPattern("partition \\d: offsets");
        }

        Cli.Run consumed = Cli.run("consume", "events", "--from-beginning", "--max", "1000", "--group", "g",
                "--store", store);

        assertThat(consumed.exitCode()).as(consumed.err()).isZero();
        List<String> got = consumed.outLines();
        assertThat(got).hasSize(1000).containsExactlyInAnyOrderElementsOf(sent);
        for (String key : List.of("alice", "bob", "carol", "dave")) {
            assertThat(got.stream().filter(l -> l.startsWith(key + "-")).toList())
                    .as("order of key " + key).isEqualTo(lines(key, 0, 250).lines().toList());
        }
        assertThat(consumed.err()).contains("consumed 1000 records from events (group g, offsets committed)");

        Cli.Run again = Cli.run("consume", "events", "--group", "g", "--timeout", "1s", "--store", store);
        assertThat(again.exitCode()).isZero();
        assertThat(again.outLines()).as("the group committed its offsets").isEmpty();
    }

    @Test
    void produceReadsAFileAndConsumeStopsAtMaxAndPrintsJson() throws Exception {
        Path file = dir.resolve("in.txt");
        Files.writeString(file, "one\ntwo \"quoted\"\nthree\n");
        assertThat(Cli.run("produce", "events", "--key", "k", "--file", file.toString(), "--store", store).exitCode())
                .isZero();

        Cli.Run two = Cli.run("consume", "events", "--from-beginning", "--max", "2", "--store", store);
        assertThat(two.outLines()).containsExactly("one", "two \"quoted\"");

        Cli.Run json = Cli.run("consume", "events", "--from-beginning", "--format", "json", "--timeout", "1s",
                "--store", store);
        assertThat(json.exitCode()).isZero();
        assertThat(json.outLines()).hasSize(3);
        assertThat(json.outLines().get(1)).matches("\\{\"topic\":\"events\",\"partition\":\\d,\"offset\":1,"
                + "\"timestamp\":\\d+,\"key\":\"k\",\"value\":\"two \\\\\"quoted\\\\\"\"}");
    }

    @Test
    void groupsListDescribeAndResetOffsets() {
        Cli.runWithInput(lines("x", 0, 10), "produce", "events", "--key", "x", "--store", store);
        assertThat(Cli.run("consume", "events", "--group", "billing", "--from-beginning", "--max", "10",
                "--store", store).outLines()).hasSize(10);

        assertThat(Cli.run("groups", "list", "--store", store).outLines()).containsExactly("billing");
        Cli.Run described = Cli.run("groups", "describe", "billing", "--store", store);
        assertThat(described.exitCode()).as(described.err()).isZero();
        assertThat(described.out()).contains("lag:        0 records");

        Cli.Run reset = Cli.run("groups", "reset-offsets", "billing", "--topic", "events", "--to", "earliest",
                "--store", store);
        assertThat(reset.exitCode()).as(reset.err()).isZero();
        assertThat(Cli.run("consume", "events", "--group", "billing", "--max", "10", "--store", store).outLines())
                .isEqualTo(lines("x", 0, 10).lines().toList());
    }

    @Test
    void queueReceiveAndAck() {
        Cli.runWithInput(lines("job", 0, 3), "produce", "events", "--store", store);

        Cli.Run received = Cli.run("queue", "receive", "events", "--max", "10", "--format", "json", "--store", store);
        assertThat(received.exitCode()).as(received.err()).isZero();
        assertThat(received.outLines()).hasSize(3);
        List<String> receipts = received.outLines().stream()
                .map(l -> l.replaceAll(".*\"receipt\":\"([^\"]*)\".*", "$1")).toList();

        List<String> ack = new ArrayList<>(List.of("queue", "ack", "events"));
        ack.addAll(receipts);
        ack.addAll(List.of("--store", store));
        Cli.Run acked = Cli.run(ack.toArray(String[]::new));
        assertThat(acked.exitCode()).as(acked.err()).isZero();
        assertThat(acked.err()).contains("acknowledged 3 messages");

        Cli.Run plain = Cli.run("queue", "receive", "events", "--visibility", "1s", "--wait", "500ms", "--store", store);
        assertThat(plain.outLines()).as("acknowledged messages are not delivered again").isEmpty();
    }

    @Test
    void queueRedriveMovesDeadLettersBack() {
        assertThat(Cli.run("topics", "create", "events.dlq", "--store", store).exitCode()).isZero();
        Cli.runWithInput(lines("dead", 0, 2), "produce", "events.dlq", "--store", store);

        Cli.Run redrive = Cli.run("queue", "redrive", "events.dlq", "events", "--store", store);

        assertThat(redrive.exitCode()).as(redrive.err()).isZero();
        assertThat(redrive.err()).contains("redrove 2 messages from events.dlq to events");
        assertThat(Cli.run("consume", "events", "--from-beginning", "--timeout", "1s", "--store", store).outLines())
                .containsExactlyInAnyOrder("dead-0", "dead-1");
    }
}
