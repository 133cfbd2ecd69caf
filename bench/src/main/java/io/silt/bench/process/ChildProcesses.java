package io.silt.bench.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What starting servers as child processes needs (the peers, S3Proxy): the repository's files, free ports, waiting and
 * stopping.
 */
public final class ChildProcesses {
    private ChildProcesses() {}

    /**
     * The repository root (the folder holding {@code bench/peers}), searched upwards from the working directory and
     * from where these classes were loaded.
     */
    public static Path repositoryRoot() {
        List<Path> starts = new ArrayList<>();
        starts.add(Path.of("").toAbsolutePath());
        try {
            var source = ChildProcesses.class.getProtectionDomain().getCodeSource();
            if (source != null) {
                starts.add(Path.of(source.getLocation().toURI()));
            }
        } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
            // only the working directory then
        }
        for (Path start : starts) {
            for (Path p = start; p != null; p = p.getParent()) {
                if (Files.isDirectory(p.resolve("bench/peers")) && Files.isRegularFile(p.resolve("mvnw"))) {
                    return p;
                }
            }
        }
        throw new IllegalStateException("cannot find the Silt repository (a folder with mvnw and bench/peers) above "
                + starts + "; run from the repository");
    }

    public static int freeLoopbackPort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }

    /** Waits until {@code port} on loopback accepts a connection; fails with the log's tail if the process dies. */
    public static void awaitPort(Process process, int port, Duration timeout, Path log, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
                return;
            } catch (IOException notYet) {
                // not listening yet
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(what + " exited with status " + process.exitValue()
                        + " before listening on port " + port + "; its output:\n" + tail(log));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(what + " did not listen on port " + port + " within "
                        + timeout.toSeconds() + " s; its output:\n" + tail(log));
            }
            waitFor(process, Duration.ofMillis(100));
        }
    }

    /** Asks the process to stop (SIGTERM), kills it after {@code grace}, and waits for it. */
    public static void stop(Process process, Duration grace) {
        process.destroy();
        if (!waitFor(process, grace)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            waitFor(process, Duration.ofSeconds(10));
        }
    }

    /** Runs a command to completion (output to {@code log}); its exit status. */
    public static int run(List<String> command, Path directory, Path log, Duration timeout) {
        try {
            Process p = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            if (!waitFor(p, timeout)) {
                stop(p, Duration.ofSeconds(5));
                throw new IllegalStateException(String.join(" ", command) + " did not finish within "
                        + timeout.toSeconds() + " s; its output:\n" + tail(log));
            }
            return p.exitValue();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        }
    }

    /** The {@code java} of this JVM. */
    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The last 4,000 characters of a log file. */
    public static String tail(Path log) {
        return tail(log, 4000);
    }

    /** The last {@code maxChars} characters of a log file. */
    public static String tail(Path log, int maxChars) {
        try {
            String s = Files.readString(log, StandardCharsets.UTF_8);
            return s.length() <= maxChars ? s : "..." + s.substring(s.length() - maxChars);
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    /** The first line of a file, if it exists and has one. */
    public static Optional<String> firstLine(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream().findFirst().map(String::strip);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static boolean waitFor(Process process, Duration d) {
        try {
            return process.waitFor(d.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
