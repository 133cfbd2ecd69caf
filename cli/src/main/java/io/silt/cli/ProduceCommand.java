package io.silt.cli;

import io.silt.client.Producer;
import io.silt.client.RecordMetadata;
import io.silt.client.SiltClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code silt produce TOPIC}: one record per line of standard input (or of a file). */
@Command(name = "produce", mixinStandardHelpOptions = true,
        description = {"Send one record per input line (standard input or --file).",
                "The records' offsets per partition go to standard error."})
final class ProduceCommand extends SiltCommand {
    @ParentCommand
    SiltCli root;

    @Parameters(paramLabel = "TOPIC")
    String topic;

    @Option(names = "--key", paramLabel = "K", description = "Key of every record (default: none, spread evenly).")
    String key;

    @Option(names = "--file", paramLabel = "F", description = "Read lines from this file instead of standard input.")
    Path file;

    @Override
    int run() throws Exception {
        try (SiltClient silt = options.connect()) {
            silt.admin().describeTopic(topic); // fail fast, with the SDK's message, on an unknown topic
            Summary summary = new Summary();
            long lines;
            try (Producer producer = silt.producer(); BufferedReader in = new BufferedReader(input())) {
                lines = sendLines(producer, in, summary);
                producer.flush();
            }
            if (summary.failure.get() != null) {
                throw summary.failure.get();
            }
            err().println("produced " + lines + " records (" + summary.bytes + " bytes) to " + topic);
            summary.byPartition.forEach((p, r) -> err().println("  partition " + p + ": offsets " + r[0] + ".."
                    + r[1] + " (" + r[2] + " records)"));
            return OK;
        }
    }

    private long sendLines(Producer producer, BufferedReader in, Summary summary) throws Exception {
        long n = 0;
        String line;
        while ((line = in.readLine()) != null && summary.failure.get() == null) {
            n++;
            CompletableFuture<RecordMetadata> f = producer.send(topic, key, line);
            if (f.isCompletedExceptionally()) {
                throw new CliException("line " + n + ": " + describe(cause(f)));
            }
            long size = line.getBytes(StandardCharsets.UTF_8).length;
            long lineNo = n;
            f.whenComplete((m, e) -> summary.add(lineNo, m, e, size));
        }
        return n;
    }

    private static Throwable cause(CompletableFuture<?> f) {
        try {
            f.join();
            return new IllegalStateException("send failed");
        } catch (CompletionException e) {
            return e.getCause() != null ? e.getCause() : e;
        }
    }

    private Reader input() throws Exception {
        return file != null ? Files.newBufferedReader(file, StandardCharsets.UTF_8)
                : new InputStreamReader(root.in(), StandardCharsets.UTF_8);
    }

    /** Offsets and sizes per partition, as acknowledgements arrive. */
    private static final class Summary {
        final Map<Integer, long[]> byPartition = new TreeMap<>();
        final AtomicReference<RuntimeException> failure = new AtomicReference<>();
        long bytes;

        synchronized void add(long line, RecordMetadata m, Throwable e, long size) {
            if (e != null) {
                Throwable c = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                failure.compareAndSet(null, new CliException("line " + line + ": " + describe(c)));
                return;
            }
            bytes += size;
            long[] r = byPartition.computeIfAbsent(m.partition(), p -> new long[] {Long.MAX_VALUE, -1, 0});
            r[0] = Math.min(r[0], m.offset());
            r[1] = Math.max(r[1], m.offset());
            r[2]++;
        }
    }
}
