package io.silt.storage.testing;

import io.silt.storage.S3ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * An S3Proxy 4.1.0 server with the filesystem backend, run as a separate process ({@code java -jar s3proxy.jar
 * --properties FILE}) on a free loopback port, in a fresh temporary directory, with identity and credential
 * {@code test}/{@code test}.
 *
 * <p>The jar comes from the system property {@value #JAR_PROPERTY} (set by Failsafe in {@code storage/pom.xml}), or
 * else from {@code target/s3proxy/s3proxy.jar} (or {@code storage/target/s3proxy/s3proxy.jar}) under the working
 * directory. Starting takes about 2 s, so test classes normally share one server through {@link #shared()}, which
 * stops it when the JVM exits; use a fresh {@link #newBucket() bucket} or prefix per test.
 */
public final class S3ProxyServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(S3ProxyServer.class.getName());

    /** The system property naming the S3Proxy jar. */
    public static final String JAR_PROPERTY = "silt.s3proxy.jar";
    public static final String ACCESS_KEY = "test";
    public static final String SECRET_KEY = "test";
    public static final String REGION = "us-east-1";
    /** The bucket {@link #start()} creates. */
    public static final String DEFAULT_BUCKET = "silt-test";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final AtomicInteger BUCKETS = new AtomicInteger();
    private static S3ProxyServer shared;

    private final Process process;
    private final Path dir;
    private final Path log;
    private final URI endpoint;
    private final S3Client admin;
    private final List<S3ObjectStore> stores = new ArrayList<>();
    private final S3ObjectStore store;
    private boolean closed;

    private S3ProxyServer(Process process, Path dir, Path log, URI endpoint) {
        this.process = process;
        this.dir = dir;
        this.log = log;
        this.endpoint = endpoint;
        this.admin = S3Client.builder()
                .region(Region.of(REGION))
                .endpointOverride(endpoint)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
        createBucket(DEFAULT_BUCKET);
        this.store = storeFor(DEFAULT_BUCKET, "");
    }

    /** The server shared by every test in this JVM, started on first use and stopped when the JVM exits. */
    public static synchronized S3ProxyServer shared() {
        if (shared == null || !shared.process.isAlive()) {
            S3ProxyServer s = start();
            Runtime.getRuntime().addShutdownHook(new Thread(s::close, "s3proxy-shutdown"));
            shared = s;
        }
        return shared;
    }

    /** Starts a new server; the caller closes it. */
    public static S3ProxyServer start() {
        Path jar = locateJar();
        Path dir = null;
        Process process = null;
        try {
            dir = Files.createTempDirectory("silt-s3proxy-");
            Path data = Files.createDirectories(dir.resolve("data"));
            Path log = dir.resolve("s3proxy.log");
            int port = freePort();
            URI endpoint = URI.create("http://127.0.0.1:" + port);
            Path properties = dir.resolve("s3proxy.properties");
            Files.writeString(properties, String.join("\n",
                    "s3proxy.endpoint=" + endpoint,
                    "s3proxy.authorization=aws-v2-or-v4",
                    "s3proxy.identity=" + ACCESS_KEY,
                    "s3proxy.credential=" + SECRET_KEY,
                    "jclouds.provider=filesystem",
                    "jclouds.filesystem.basedir=" + data.toAbsolutePath(),
                    ""), StandardCharsets.UTF_8);
            List<String> command = List.of(javaBinary(), "-Xmx512m", "-jar", jar.toString(),
                    "--properties", properties.toString());
            process = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            awaitReady(process, endpoint, log);
            LOG.log(Level.INFO, () -> "S3Proxy started at " + endpoint + " in " + data);
            return new S3ProxyServer(process, dir, log, endpoint);
        } catch (IOException | RuntimeException e) {
            if (process != null) {
                stop(process);
            }
            if (dir != null) {
                deleteTree(dir);
            }
            if (e instanceof IOException io) {
                throw new UncheckedIOException("cannot start S3Proxy from " + jar, io);
            }
            throw (RuntimeException) e;
        }
    }

    /** Where S3Proxy answers, e.g. {@code http://127.0.0.1:41234}. */
    public URI endpoint() {
        return endpoint;
    }

    /** The bucket created at start. */
    public String bucket() {
        return DEFAULT_BUCKET;
    }

    public String accessKey() {
        return ACCESS_KEY;
    }

    public String secretKey() {
        return SECRET_KEY;
    }

    public String region() {
        return REGION;
    }

    /** A store on {@link #bucket()} with no prefix; closed with the server. */
    public S3ObjectStore store() {
        return store;
    }

    /** A store URI for {@code bucket} and {@code prefix} on this server (credentials go in the environment). */
    public String uri(String bucket, String prefix) {
        return "s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix) + "?endpoint=" + endpoint
                + "&region=" + REGION + "&pathStyle=true";
    }

    /** A builder preset for this server (endpoint, region, path style, credentials) and {@code bucket}. */
    public S3ObjectStore.Builder storeBuilder(String bucket) {
        return S3ObjectStore.builder()
                .bucket(bucket)
                .endpoint(endpoint)
                .region(REGION)
                .pathStyle(true)
                .credentials(ACCESS_KEY, SECRET_KEY);
    }

    /** A new store on {@code bucket} under {@code prefix}; the caller closes it. */
    public S3ObjectStore storeFor(String bucket, String prefix) {
        S3ObjectStore s = storeBuilder(bucket).prefix(prefix).build();
        synchronized (stores) {
            stores.add(s);
        }
        return s;
    }

    /** Creates a bucket with a name not used before in this JVM and returns the name. */
    public String newBucket() {
        String name = "silt-t" + ProcessHandle.current().pid() + "-" + BUCKETS.incrementAndGet();
        createBucket(name);
        return name;
    }

    /** Creates {@code bucket}. */
    public void createBucket(String bucket) {
        admin.createBucket(b -> b.bucket(bucket));
    }

    /** Deletes every object in {@code bucket} and then the bucket. */
    public void deleteBucket(String bucket) {
        String token = null;
        do {
            String t = token;
            var page = admin.listObjectsV2(b -> b.bucket(bucket).continuationToken(t));
            for (var o : page.contents()) {
                admin.deleteObject(b -> b.bucket(bucket).key(o.key()));
            }
            token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
        } while (token != null);
        admin.deleteBucket(b -> b.bucket(bucket));
    }

    /** An S3 client for this server, for setting up tests; do not close it. */
    public S3Client admin() {
        return admin;
    }

    /** What S3Proxy printed so far, for diagnosing failures. */
    public String output() {
        return readLog(log);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Stops the process (forcibly) and deletes its directory. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        synchronized (stores) {
            stores.forEach(S3ObjectStore::close);
        }
        admin.close();
        stop(process);
        deleteTree(dir);
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static void awaitReady(Process process, URI endpoint, Path log) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("S3Proxy exited with status " + process.exitValue()
                        + " before it answered at " + endpoint + "; its output:\n" + readLog(log));
            }
            if (answers(endpoint)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("S3Proxy did not answer GET / at " + endpoint + " within "
                        + START_TIMEOUT.toSeconds() + " s; its output:\n" + readLog(log));
            }
            try {
                // Polling a starting process: there is nothing to wait on but the port.
                process.waitFor(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for S3Proxy", e);
            }
        }
    }

    private static boolean answers(URI endpoint) {
        try {
            HttpURLConnection c = (HttpURLConnection) endpoint.resolve("/").toURL().openConnection();
            c.setConnectTimeout(500);
            c.setReadTimeout(2000);
            try {
                return c.getResponseCode() > 0; // any HTTP answer (S3Proxy says 403 to an anonymous GET /)
            } finally {
                c.disconnect();
            }
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    private static String javaBinary() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** The S3Proxy jar: the system property, else {@code target/s3proxy/s3proxy.jar} near the working directory. */
    static Path locateJar() {
        String property = System.getProperty(JAR_PROPERTY);
        if (property != null && !property.isBlank()) {
            Path p = Path.of(property);
            if (Files.isRegularFile(p)) {
                return p;
            }
            throw new IllegalStateException("system property " + JAR_PROPERTY + " names " + p
                    + ", which does not exist; run the build through process-test-resources (e.g. ./mvnw verify)");
        }
        Path cwd = Path.of("").toAbsolutePath();
        List<Path> candidates = new ArrayList<>();
        for (String target : List.of(System.getProperty("silt.target", "target"), "target")) {
            candidates.add(cwd.resolve(target).resolve("s3proxy/s3proxy.jar"));
            candidates.add(cwd.resolve("storage").resolve(target).resolve("s3proxy/s3proxy.jar"));
        }
        for (Path p : candidates) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find the S3Proxy jar: set -D" + JAR_PROPERTY
                + "=/path/to/s3proxy.jar or run ./mvnw -pl storage process-test-resources; looked in " + candidates);
    }

    private static void stop(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                LOG.log(Level.WARNING, "S3Proxy (pid " + process.pid() + ") did not exit within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String readLog(Path log) {
        try {
            String text = Files.readString(log, StandardCharsets.UTF_8);
            return text.length() > 20_000 ? "..." + text.substring(text.length() - 20_000) : text;
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    LOG.log(Level.DEBUG, "cannot delete " + p, e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            LOG.log(Level.WARNING, "cannot delete S3Proxy directory " + root, e);
        }
    }

    @Override
    public String toString() {
        return "S3Proxy at " + endpoint + " (pid " + process.pid() + ")";
    }
}
