package io.silt.cli;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code silt serve}: runs the Silt service (the functions application, a Quarkus app) on this machine, over the
 * chosen store. The service is its own JVM ({@code java -jar silt-functions-*-runner.jar}); this command passes the
 * store and port, forwards its output, and stops it gracefully (SIGTERM: in-flight commits finish) when it is
 * stopped itself.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Run the Silt service: the REST API, the web page at /, metrics at /q/metrics, "
                + "and compaction on a schedule, over the store (default file:./silt-data).",
                "Stop it with Ctrl-C: in-flight commits finish first.",
                "The service's JVM options come from SILT_SERVE_JAVA_OPTS (default: serve.jvm.options next to its "
                        + "jar)."})
final class Serve extends SiltCommand {
    /** The service's JVM options, next to its jar (functions/src/main/jvm), unless SILT_SERVE_JAVA_OPTS is set. */
    static final String JVM_OPTIONS_FILE = "serve.jvm.options";

    /** Where the launcher says the service's runnable jar is. */
    static final String RUNNER_PROPERTY = "silt.functions.runner";

    @Option(names = "--port", defaultValue = "8080", description = "HTTP port (0: any free port; default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "Address to listen on (default ${DEFAULT-VALUE}; 0.0.0.0 for every interface).")
    String host;

    @Option(names = "--runner", paramLabel = "JAR", hidden = true,
            description = "The service's runner jar (default: as the launcher says, -D" + RUNNER_PROPERTY + ").")
    Path runner;

    @Override
    int run() throws Exception {
        if (port < 0 || port > 65535) {
            throw new CliException("--port " + port + ": must be 0-65535");
        }
        Path jar = runnerJar();
        String target = options.target();
        if (target.startsWith("http://") || target.startsWith("https://")) {
            throw new CliException("serve needs a store (--store file:DIR or s3://...), not a service URL: " + target);
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String javaOpts = System.getenv("SILT_SERVE_JAVA_OPTS");
        command.addAll(javaOpts != null
                ? java.util.Arrays.stream(javaOpts.trim().split("\\s+")).filter(o -> !o.isEmpty()).toList()
                : jvmOptions(jar));
        Path archive = jar.resolveSibling("app-cds.jsa"); // built with the jar (quarkus.package.jar.appcds)
        if (Files.isRegularFile(archive) && (javaOpts == null || !javaOpts.contains("SharedArchiveFile"))) {
            command.add("-XX:SharedArchiveFile=" + archive);
        }
        command.add("-jar");
        command.add(jar.toString());
        ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
        pb.environment().put("SILT_STORE", target);
        pb.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        pb.environment().put("QUARKUS_HTTP_HOST", host);
        err().println("silt serve: starting the service on " + host + ":" + port + " over " + target);
        err().flush();
        Process service = pb.start();
        Thread stopper = new Thread(() -> stop(service), "silt-serve-stop");
        Runtime.getRuntime().addShutdownHook(stopper);
        int code = service.waitFor();
        try {
            Runtime.getRuntime().removeShutdownHook(stopper);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running: it waits for the service
        }
        return code == 0 || code == 143 ? OK : FAILED;
    }

    /** The options of {@link #JVM_OPTIONS_FILE} beside {@code jar}: one per line, {@code #} comments; none if absent. */
    static List<String> jvmOptions(Path jar) throws java.io.IOException {
        Path file = jar.resolveSibling(JVM_OPTIONS_FILE);
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        return Files.readAllLines(file).stream().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    /** SIGTERM, then wait for the graceful shutdown (in-flight commits), then force. */
    private static void stop(Process service) {
        service.destroy();
        try {
            if (!service.waitFor(60, TimeUnit.SECONDS)) {
                service.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            service.destroyForcibly();
        }
    }

    private Path runnerJar() {
        Path jar = runner;
        if (jar == null) {
            String p = System.getProperty(RUNNER_PROPERTY);
            if (p == null || p.isBlank()) {
                throw new CliException("the service's jar is not known: run serve through the ./silt launcher, which "
                        + "builds the functions module, or give --runner functions/target/"
                        + "silt-functions-0.1.0-SNAPSHOT-runner.jar");
            }
            jar = Path.of(p);
        }
        if (!Files.isRegularFile(jar)) {
            throw new CliException("the service's jar " + jar + " does not exist: build it with "
                    + "./mvnw -pl functions -am package -Dmaven.test.skip=true (the ./silt launcher does)");
        }
        // The runner jar loads lib/ next to it (Quarkus' legacy layout).
        if (!new File(jar.toFile().getParentFile(), "lib").isDirectory()) {
            throw new CliException("the service's jar " + jar + " has no lib/ folder beside it: rebuild the functions module");
        }
        return jar;
    }
}
