package io.silt.bench.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A chaos worker JVM seen from the orchestrator: started with the bench's classpath, killed with SIGKILL, paused and
 * resumed with SIGSTOP/SIGCONT; its stdout and stderr go to {@code name.instance.out} next to its history.
 */
final class WorkerHandle {
    private static final System.Logger LOG = System.getLogger(WorkerHandle.class.getName());

    private WorkerSpec spec;
    private final Map<String, String> env;
    private Process process;
    private long startedNanos;
    private boolean paused;
    private boolean finished;

    private WorkerHandle(WorkerSpec spec, Map<String, String> env) {
        this.spec = spec;
        this.env = env;
    }

    static WorkerHandle start(WorkerSpec spec, Map<String, String> env) {
        WorkerHandle w = new WorkerHandle(spec, env);
        w.launch();
        return w;
    }

    private void launch() {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java, "-Xmx384m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                ChaosWorker.class.getName()));
        command.addAll(spec.toArgs());
        Path out = spec.historyDir().resolve(spec.process() + ".out");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
            pb.environment().putAll(env);
            process = pb.start();
            startedNanos = System.nanoTime();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start worker " + spec.process(), e);
        }
        LOG.log(System.Logger.Level.DEBUG, () -> "started " + spec.process() + " (pid " + process.pid() + ")");
    }

    WorkerSpec spec() {
        return spec;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** How long the current instance has been running. */
    java.time.Duration uptime() {
        return java.time.Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    boolean isPaused() {
        return paused;
    }

    /** Whether it exited by itself with {@link ChaosWorker#DONE} (a producer that sent its quota). */
    boolean isFinished() {
        if (!finished && !process.isAlive() && process.exitValue() == ChaosWorker.DONE) {
            finished = true;
        }
        return finished;
    }

    /** SIGKILL, and waits for the process to be gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
        paused = false;
    }

    /** Starts the next instance (after a kill or a crash). */
    void restart(long seed) {
        spec = spec.restarted(seed);
        finished = false;
        launch();
    }

    void pause() {
        signal("-STOP");
        paused = true;
    }

    void resume() {
        signal("-CONT");
        paused = false;
    }

    private void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", signal, Long.toString(process.pid())).inheritIO().start();
            if (kill.waitFor() != 0) {
                LOG.log(System.Logger.Level.WARNING, "kill " + signal + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot signal " + spec.process(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    int exitValue() {
        return process.exitValue();
    }

    @Override
    public String toString() {
        return spec.process();
    }
}
