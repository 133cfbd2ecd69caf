package io.silt.bench.peers;

import io.silt.bench.process.ChildProcesses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * RabbitMQ from Debian's {@code rabbitmq-server} package, started and stopped by {@code bench/peers/rabbitmq.sh} as
 * the current user with all its files under one folder and its ports on loopback.
 */
final class RabbitMqServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(RabbitMqServer.class.getName());
    /** The script's exit status when rabbitmq-server is not installed. */
    static final int NOT_INSTALLED = 3;

    private final Path script;
    private final Path dir;
    private final int port;

    private RabbitMqServer(Path script, Path dir, int port) {
        this.script = script;
        this.dir = dir;
        this.port = port;
    }

    /** Why RabbitMQ cannot run here (the script's own message), or empty if it can. */
    static Optional<String> unavailable(Path repositoryRoot) {
        Path script = repositoryRoot.resolve("bench/peers/rabbitmq.sh");
        if (!Files.isExecutable(script)) {
            return Optional.of(script + " is missing or not executable");
        }
        if (!Files.isExecutable(Path.of("/usr/lib/rabbitmq/bin/rabbitmq-server"))) {
            return Optional.of("rabbitmq-server is not installed; install it with: "
                    + "sudo apt-get install -y rabbitmq-server");
        }
        return Optional.empty();
    }

    /** Starts a node with its files under {@code dir}; returns once it accepts AMQP connections. */
    static RabbitMqServer start(Path repositoryRoot, Path dir) {
        Path script = repositoryRoot.resolve("bench/peers/rabbitmq.sh");
        int port = ChildProcesses.freeLoopbackPort();
        Path log = dir.resolve("script.log");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long t0 = System.nanoTime();
        int status = ChildProcesses.run(List.of(script.toString(), "start", dir.toString(), Integer.toString(port)),
                dir, log, Duration.ofMinutes(3));
        RabbitMqServer server = new RabbitMqServer(script, dir, port);
        if (status != 0) {
            server.close(); // whatever half-started
            throw new IllegalStateException((status == NOT_INSTALLED ? "" : "RabbitMQ did not start: ")
                    + ChildProcesses.tail(log).strip());
        }
        LOG.log(Level.INFO, () -> String.format("RabbitMQ listens on 127.0.0.1:%d after %.1f s", port,
                (System.nanoTime() - t0) / 1e9));
        return server;
    }

    int port() {
        return port;
    }

    /** Stops the node ({@code rabbitmqctl stop}, then {@code epmd -kill}) and waits for it to exit. */
    @Override
    public void close() {
        int status = ChildProcesses.run(List.of(script.toString(), "stop", dir.toString()), dir,
                dir.resolve("script.log"), Duration.ofMinutes(2));
        if (status != 0) {
            LOG.log(Level.WARNING, "stopping RabbitMQ exited " + status + "; see " + dir.resolve("script.log"));
        }
    }
}
