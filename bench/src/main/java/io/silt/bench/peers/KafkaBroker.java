package io.silt.bench.peers;

import io.silt.bench.process.ChildProcesses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.Uuid;

/**
 * Apache Kafka 4.3.1 as a single combined broker and KRaft controller in a child JVM ({@code -Xmx1G}), listening on
 * two free loopback ports, with its log directory under a given folder. Its classpath (Maven Central's
 * {@code kafka_2.13}, {@code kafka-tools} and a log4j binding, see {@code bench/peers/kafka/pom.xml}) is resolved once
 * with the Maven wrapper and cached in {@code bench/peers/kafka/target/classpath.txt}.
 */
final class KafkaBroker implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(KafkaBroker.class.getName());
    /** The broker's version, also the client's (bench/pom.xml) and bench/peers/kafka/pom.xml's. */
    static final String VERSION = "4.3.1";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Process process;
    private final int port;
    private final boolean fsync;

    private KafkaBroker(Process process, int port, boolean fsync) {
        this.process = process;
        this.port = port;
        this.fsync = fsync;
    }

    /**
     * The broker's classpath, resolved with {@code ./mvnw dependency:build-classpath} on first use (a download from
     * Maven Central unless the local repository has it) and cached until the pom changes.
     */
    static String classpath(Path repositoryRoot, Path log) {
        Path pom = repositoryRoot.resolve("bench/peers/kafka/pom.xml");
        Path cache = repositoryRoot.resolve("bench/peers/kafka/target/classpath.txt");
        try {
            if (!Files.isRegularFile(cache)
                    || Files.getLastModifiedTime(cache).compareTo(Files.getLastModifiedTime(pom)) < 0
                    || !allExist(Files.readString(cache, StandardCharsets.UTF_8))) {
                LOG.log(Level.INFO, "resolving the Kafka broker's classpath with the Maven wrapper (" + pom + ")");
                Files.createDirectories(cache.getParent());
                int status = ChildProcesses.run(List.of(repositoryRoot.resolve("mvnw").toString(), "-q", "-B", "-f",
                        pom.toString(), "dependency:build-classpath", "-Dmdep.outputFile=" + cache),
                        repositoryRoot, log, Duration.ofMinutes(10));
                if (status != 0 || !Files.isRegularFile(cache)) {
                    throw new IllegalStateException("cannot resolve Kafka's classpath (mvnw exited " + status + "); "
                            + "its output:\n" + ChildProcesses.tail(log));
                }
            }
            return Files.readString(cache, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot resolve Kafka's classpath into " + cache, e);
        }
    }

    private static boolean allExist(String classpath) {
        return !classpath.isBlank() && Arrays.stream(classpath.strip().split(java.io.File.pathSeparator))
                .allMatch(p -> Files.isRegularFile(Path.of(p)));
    }

    /**
     * The broker's {@code message.max.bytes} and the producer's {@code max.request.size} for a {@code batch.size}:
     * room for a full batch plus its framing (the default, 1 MiB + 12 bytes, is just too small for 1 MiB batches).
     */
    static int maxMessageBytes(int batchBytes) {
        return Math.max(2 << 20, batchBytes + (batchBytes >> 2));
    }

    /**
     * Formats a KRaft log directory under {@code dir} and starts the broker; returns once it listens.
     *
     * @param maxMessageBytes the broker's {@code message.max.bytes}
     * @param fsync whether the broker fsyncs its log after every append ({@code log.flush.interval.messages=1}, as
     *     Silt's filesystem store does before acknowledging); Kafka's default is to leave flushing to the OS
     */
    static KafkaBroker start(Path dir, String classpath, int maxMessageBytes, boolean fsync) {
        int port = ChildProcesses.freeLoopbackPort();
        int controllerPort = ChildProcesses.freeLoopbackPort();
        Path log = dir.resolve("broker.log");
        Process process = null;
        try {
            Files.createDirectories(dir);
            Path properties = dir.resolve("server.properties");
            Files.writeString(properties, String.join("\n",
                    "process.roles=broker,controller",
                    "node.id=1",
                    "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                    "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                    "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                    "controller.listener.names=CONTROLLER",
                    "inter.broker.listener.name=PLAINTEXT",
                    "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                    "log.dirs=" + dir.resolve("kraft-logs").toAbsolutePath(),
                    "num.partitions=1",
                    "offsets.topic.replication.factor=1",
                    "transaction.state.log.replication.factor=1",
                    "transaction.state.log.min.isr=1",
                    "share.coordinator.state.topic.replication.factor=1",
                    "share.coordinator.state.topic.min.isr=1",
                    "group.initial.rebalance.delay.ms=0",
                    "message.max.bytes=" + maxMessageBytes,
                    fsync ? "log.flush.interval.messages=1" : "",
                    ""), StandardCharsets.UTF_8);
            List<String> format = tool(classpath, "kafka.tools.StorageTool");
            format.addAll(List.of("format", "-t", Uuid.randomUuid().toString(), "-c", properties.toString()));
            int status = ChildProcesses.run(format, dir, log, Duration.ofMinutes(2));
            if (status != 0) {
                throw new IllegalStateException("formatting Kafka's log directory failed (exit " + status + "):\n"
                        + ChildProcesses.tail(log));
            }
            List<String> command = new ArrayList<>(List.of(ChildProcesses.java(), "-Xmx1G", "-Xms1G",
                    "-Djava.awt.headless=true", "-cp", classpath, "kafka.Kafka", properties.toString()));
            long t0 = System.nanoTime();
            process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            ChildProcesses.awaitPort(process, port, START_TIMEOUT, log, "Kafka");
            long pid = process.pid();
            LOG.log(Level.INFO, () -> String.format("Kafka %s (pid %d) listens on 127.0.0.1:%d after %.1f s", VERSION,
                    pid, port, (System.nanoTime() - t0) / 1e9));
            return new KafkaBroker(process, port, fsync);
        } catch (IOException | RuntimeException e) {
            if (process != null) {
                ChildProcesses.stop(process, Duration.ofSeconds(10));
            }
            if (e instanceof IOException io) {
                throw new UncheckedIOException("cannot start Kafka in " + dir, io);
            }
            throw (RuntimeException) e;
        }
    }

    private static List<String> tool(String classpath, String mainClass) {
        return new ArrayList<>(List.of(ChildProcesses.java(), "-Xmx256m", "-cp", classpath, mainClass));
    }

    /** The producer's and consumer's {@code bootstrap.servers}. */
    String bootstrap() {
        return "127.0.0.1:" + port;
    }

    /** The broker's settings, for the report. */
    String describe() {
        return "Kafka " + VERSION + " KRaft single node (broker+controller, -Xmx1G, "
                + (fsync ? "log.flush.interval.messages=1: fsync after every append" : "default log.flush settings: "
                + "no fsync before acknowledging, the OS writes back") + ")";
    }

    /** Stops the broker (SIGTERM: a controlled shutdown), killing it after 30 s. */
    @Override
    public void close() {
        ChildProcesses.stop(process, Duration.ofSeconds(30));
    }
}
