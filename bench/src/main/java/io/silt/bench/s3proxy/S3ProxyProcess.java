package io.silt.bench.s3proxy;

import io.silt.bench.process.ChildProcesses;
import io.silt.storage.ObjectStores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * An S3Proxy server (filesystem blobstore) in a <em>separate</em> child JVM on a free loopback port, for benchmarks:
 * the client under test and the server must not share a JVM (heap, JIT and GC of one would be charged to the other).
 *
 * <p>The server runs {@code org.gaul.s3proxy.Main --properties FILE} from S3Proxy's self-contained jar
 * ({@code org.gaul:s3proxy:jar-with-dependencies}, the version of the root pom), which the bench build copies to
 * {@code <build folder>/s3proxy/s3proxy.jar}. The jar is found, in order, from the system property
 * {@value #JAR_PROPERTY}, next to the bench's own classes or jar, or under the working directory
 * ({@code bench/<build folder>/s3proxy/s3proxy.jar}). Objects are files under {@code dataDir}; S3Proxy checks AWS
 * v2/v4 signatures with the fixed key pair {@link #accessKey()}/{@link #secretKey()}.
 *
 * <pre>{@code
 * try (S3ProxyProcess s3 = S3ProxyProcess.start(dir)) {
 *     s3.createBucket("bench");
 *     try (SiltClient c = Silt.builder(s3.storeUri("bench", "run1")).environment(s3.environment()).build()) { ... }
 * }
 * }</pre>
 */
public final class S3ProxyProcess implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(S3ProxyProcess.class.getName());

    /** The system property naming S3Proxy's jar-with-dependencies (overrides the search). */
    public static final String JAR_PROPERTY = "silt.s3proxy.jar";
    /** The region S3 URIs and clients name (S3Proxy accepts any). */
    public static final String REGION = "us-east-1";
    private static final String ACCESS_KEY = "silt-bench";
    private static final String SECRET_KEY = "silt-bench-secret";
    private static final String MAIN_CLASS = "org.gaul.s3proxy.Main";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);

    private final Process process;
    private final URI endpoint;
    private final Path logFile;
    private final S3Client admin;

    private S3ProxyProcess(Process process, URI endpoint, Path logFile) {
        this.process = process;
        this.endpoint = endpoint;
        this.logFile = logFile;
        this.admin = S3Client.builder()
                .region(Region.of(REGION))
                .endpointOverride(endpoint)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY,
                        SECRET_KEY)))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .build();
    }

    /** Starts S3Proxy with a 512 MiB heap; see {@link #start(Path, List)}. */
    public static S3ProxyProcess start(Path dir) {
        return start(dir, List.of("-Xmx512m"));
    }

    /**
     * Starts S3Proxy with objects under {@code dir/data} (its properties file and output log go to {@code dir} too)
     * and waits until it answers HTTP, at most a minute.
     *
     * @param dir a directory for this server, created if missing; the caller deletes it after {@link #close()}
     * @param jvmOptions options of the child JVM, e.g. {@code -Xmx512m}
     * @throws IllegalStateException if the jar is not found or the server does not come up (with its output)
     */
    public static S3ProxyProcess start(Path dir, List<String> jvmOptions) {
        Path jar = locateJar();
        Process process = null;
        try {
            Path data = Files.createDirectories(dir.resolve("data"));
            Path logFile = dir.resolve("s3proxy.log");
            URI endpoint = new URI("http", null, InetAddress.getLoopbackAddress().getHostAddress(),
                    ChildProcesses.freeLoopbackPort(), null, null, null);
            Properties p = new Properties();
            p.setProperty("s3proxy.endpoint", endpoint.toString());
            p.setProperty("s3proxy.authorization", "aws-v2-or-v4");
            p.setProperty("s3proxy.identity", ACCESS_KEY);
            p.setProperty("s3proxy.credential", SECRET_KEY);
            p.setProperty("jclouds.provider", "filesystem");
            p.setProperty("jclouds.filesystem.basedir", data.toAbsolutePath().toString());
            Path properties = dir.resolve("s3proxy.properties");
            try (var w = Files.newBufferedWriter(properties, StandardCharsets.UTF_8)) {
                p.store(w, "S3Proxy for a Silt benchmark");
            }
            List<String> command = new ArrayList<>();
            command.add(ChildProcesses.java());
            command.addAll(jvmOptions);
            command.addAll(List.of("-cp", jar.toString(), MAIN_CLASS, "--properties", properties.toString()));
            process = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(logFile.toFile())
                    .start();
            S3ProxyProcess server = new S3ProxyProcess(process, endpoint, logFile);
            server.awaitAnswer();
            LOG.log(Level.INFO, () -> "S3Proxy (pid " + server.process.pid() + ") answers at " + endpoint
                    + ", data in " + data);
            return server;
        } catch (IOException | URISyntaxException | RuntimeException e) {
            if (process != null) {
                ChildProcesses.stop(process, STOP_TIMEOUT);
            }
            if (e instanceof IOException io) {
                throw new UncheckedIOException("cannot start S3Proxy from " + jar + " in " + dir, io);
            }
            if (e instanceof URISyntaxException u) {
                throw new IllegalStateException(u);
            }
            throw (RuntimeException) e;
        }
    }

    /** Where S3Proxy answers, e.g. {@code http://127.0.0.1:41234}. */
    public URI endpoint() {
        return endpoint;
    }

    /** The access key id S3Proxy accepts. */
    public String accessKey() {
        return ACCESS_KEY;
    }

    /** The secret access key S3Proxy accepts. */
    public String secretKey() {
        return SECRET_KEY;
    }

    /**
     * A store URI for {@code bucket} under {@code prefix} (empty for none) on this server, as
     * {@link ObjectStores#open} and {@code Silt.connect} accept it:
     * {@code s3://bucket/prefix?endpoint=http://127.0.0.1:PORT&region=us-east-1&pathStyle=true}. Credentials are not
     * in it (store URIs never hold them): pass {@link #environment()} along.
     */
    public String storeUri(String bucket, String prefix) {
        Objects.requireNonNull(bucket, "bucket");
        String path = prefix == null || prefix.isEmpty() ? "" : "/" + prefix;
        return "s3://" + bucket + path + "?endpoint=" + endpoint + "&region=" + REGION + "&pathStyle=true";
    }

    /**
     * The credentials as the environment variables {@link ObjectStores} reads ({@value ObjectStores#ACCESS_KEY_ENV},
     * {@value ObjectStores#SECRET_KEY_ENV}), for {@code ObjectStores.open(uri, env)} or
     * {@code Silt.builder(uri).environment(env)}.
     */
    public Map<String, String> environment() {
        return Map.of(ObjectStores.ACCESS_KEY_ENV, ACCESS_KEY, ObjectStores.SECRET_KEY_ENV, SECRET_KEY);
    }

    /** Creates {@code bucket} (S3Proxy makes it a directory under the data directory). */
    public void createBucket(String bucket) {
        admin.createBucket(b -> b.bucket(bucket));
    }

    /** The server's process id. */
    public long pid() {
        return process.pid();
    }

    /** Whether the server process is still running. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** The tail (last 20,000 characters) of what the server printed, for diagnosing failures. */
    public String output() {
        return ChildProcesses.tail(logFile, 20_000);
    }

    /** Kills the server and waits for it to exit. Idempotent; the data directory is left for the caller. */
    @Override
    public void close() {
        admin.close();
        ChildProcesses.stop(process, STOP_TIMEOUT);
    }

    @Override
    public String toString() {
        return "S3Proxy at " + endpoint + " (pid " + process.pid() + ")";
    }

    // --------------------------------------------------------------------------------------------------- helpers

    private void awaitAnswer() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!respondsToHttp(endpoint)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("S3Proxy exited with status " + process.exitValue()
                        + " before answering at " + endpoint + "; its output:\n" + output());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("S3Proxy did not answer at " + endpoint + " within "
                        + START_TIMEOUT.toSeconds() + " s; its output:\n" + output());
            }
            try {
                // Nothing to wait on but the port: wait on the process, which returns early if it dies.
                process.waitFor(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while S3Proxy started", e);
            }
        }
    }

    /** Any HTTP status counts: S3Proxy answers an anonymous {@code GET /} with 403. */
    private static boolean respondsToHttp(URI endpoint) {
        try {
            HttpURLConnection c = (HttpURLConnection) endpoint.toURL().openConnection();
            c.setConnectTimeout(500);
            c.setReadTimeout(2_000);
            try {
                return c.getResponseCode() > 0;
            } finally {
                c.disconnect();
            }
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * S3Proxy's jar: the system property {@value #JAR_PROPERTY}, else {@code s3proxy/s3proxy.jar} in the build folder
     * that holds these classes, else under the working directory.
     */
    static Path locateJar() {
        String property = System.getProperty(JAR_PROPERTY, "");
        if (!property.isBlank()) {
            Path p = Path.of(property);
            if (!Files.isRegularFile(p)) {
                throw new IllegalStateException("-D" + JAR_PROPERTY + " names " + p + ", which is not a file");
            }
            return p;
        }
        List<Path> candidates = new ArrayList<>();
        codeLocation().ifPresent(classes -> candidates.add(classes.resolveSibling("s3proxy").resolve("s3proxy.jar")));
        Path cwd = Path.of("").toAbsolutePath();
        for (String target : List.of(System.getProperty("silt.target", "target"), "target")) {
            candidates.add(cwd.resolve(target).resolve("s3proxy/s3proxy.jar"));
            candidates.add(cwd.resolve("bench").resolve(target).resolve("s3proxy/s3proxy.jar"));
        }
        return candidates.stream().filter(Files::isRegularFile).findFirst().orElseThrow(() ->
                new IllegalStateException("cannot find S3Proxy's jar: build the bench module (./mvnw -pl bench -am "
                        + "package) or set -D" + JAR_PROPERTY + "=/path/to/s3proxy-jar-with-dependencies.jar; "
                        + "looked at " + candidates));
    }

    /** The bench's classes folder or jar ({@code bench/target/classes} or {@code bench/target/silt-bench.jar}). */
    private static Optional<Path> codeLocation() {
        try {
            var source = S3ProxyProcess.class.getProtectionDomain().getCodeSource();
            return source == null ? Optional.empty()
                    : Optional.of(Path.of(source.getLocation().toURI()));
        } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
