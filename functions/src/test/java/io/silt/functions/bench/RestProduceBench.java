package io.silt.functions.bench;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Benchmark of the packaged REST service (not a test): starts {@code java -jar <runner jar>} on a {@code file:}
 * store in a temporary directory, measures the time from start to the first 200, then has 8 client threads produce
 * 1 KiB records in batches of 1,024 (1 MiB, the SDK producer's default {@code batch.size}; {@code -Dbench.batch=N})
 * through the partition route (binary batch) and then through the topic route
 * (JSON, base64) for half the duration each, and reports MB/s of record values and the service's RSS.
 *
 * <pre>
 * ./mvnw -q -B -pl functions -am install -DskipTests -Dsilt.target=target-rest
 * java -cp functions/target-rest/test-classes io.silt.functions.bench.RestProduceBench \
 *     functions/target-rest/silt-functions-0.1.0-SNAPSHOT-runner.jar 20
 * </pre>
 *
 * {@code -Dbench.store=URI} runs the service over another store (default: {@code file:} in a temporary directory),
 * {@code -Dbench.service-jvm="-Xmx128m ..."} passes other JVM options to the service (default: those of
 * {@code silt serve}, from {@code serve.jvm.options} beside the jar).
 * {@code -Dbench.partitions=N} makes the binary route's threads share N partitions (default 8, one thread per
 * partition: no two requests share a commit). Only loopback traffic; every loop is bounded in time.
 */
public final class RestProduceBench {
    private static final System.Logger LOG = System.getLogger(RestProduceBench.class.getName());
    private static final int THREADS = 8;
    private static final int PARTITIONS = 8;
    /** How many partitions the binary route's threads spread over; fewer means more requests share commits. */
    private static final int BINARY_PARTITIONS = Integer.getInteger("bench.partitions", PARTITIONS);
    private static final int RECORD_BYTES = 1024;
    /** Records per request: by default 1,024 (1 MiB, the SDK producer's default batch.size). */
    private static final int BATCH = Integer.getInteger("bench.batch", 1024);

    private RestProduceBench() {}

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args.length > 0 ? args[0] : "functions/target-rest/silt-functions-0.1.0-SNAPSHOT-runner.jar");
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        Path data = Files.createTempDirectory("silt-rest-bench-");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String base = "http://127.0.0.1:" + port;
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        // As `silt serve` runs the service: the options of serve.jvm.options beside the jar.
        String jvm = System.getProperty("bench.service-jvm");
        if (jvm != null) {
            command.addAll(Arrays.stream(jvm.trim().split("\\s+")).filter(o -> !o.isEmpty()).toList());
        } else {
            Path options = jar.toAbsolutePath().resolveSibling("serve.jvm.options");
            Files.readAllLines(options).stream().map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).forEach(command::add);
        }
        Path archive = jar.toAbsolutePath().resolveSibling("app-cds.jsa"); // as silt serve does
        if (Files.isRegularFile(archive) && System.getProperty("bench.service-jvm") == null) {
            command.add("-XX:SharedArchiveFile=" + archive);
        }
        command.addAll(List.of("-jar", jar.toAbsolutePath().toString()));
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(data.resolveSibling(data.getFileName() + ".log").toFile());
        pb.environment().put("SILT_STORE", System.getProperty("bench.store", "file:" + data.toAbsolutePath()));
        pb.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1) // as the SDK: no h2c upgrade
                .connectTimeout(Duration.ofSeconds(5)).build();
        long started = System.nanoTime();
        Process service = pb.start();
        try {
            long startMillis = awaitFirst200(http, base + "/v1/topics", started);
            LOG.log(Level.INFO, "service pid {0} answered 200 {1} ms after start", service.pid(), startMillis);
            send(http, HttpRequest.newBuilder(URI.create(base + "/v1/topics")).header("Content-Type",
                    "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"bench\",\"partitions\":"
                    + PARTITIONS + "}")).build(), 201);
            byte[] value = new byte[RECORD_BYTES];
            new Random(1).nextBytes(value);
            byte[] binary = binaryBatch(value);
            byte[] json = jsonBatch(value);
            long half = seconds * 1000L / 2;
            double binaryMBs = run("binary, partition route", http, half, t -> HttpRequest.newBuilder(
                    URI.create(base + "/v1/topics/bench/partitions/" + (t % BINARY_PARTITIONS) + "/records"))
                    .header("Content-Type", "application/vnd.silt.batch")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(binary)).build());
            long rssBinary = rssKiB(service.pid());
            double jsonMBs = run("JSON, topic route", http, half, t -> HttpRequest.newBuilder(
                    URI.create(base + "/v1/topics/bench/records")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(json)).build());
            long rssJson = rssKiB(service.pid());
            LOG.log(Level.INFO, String.format("RESULT start-to-first-200 %d ms; binary %.1f MB/s; JSON %.1f MB/s; "
                            + "RSS after binary %d MiB, after JSON %d MiB (targets: start <= 3000 ms, >= 50 MB/s, "
                            + "RSS <= 200 MiB)", startMillis, binaryMBs, jsonMBs, rssBinary / 1024, rssJson / 1024));
        } finally {
            long stopping = System.nanoTime();
            service.destroy(); // SIGTERM: graceful shutdown
            if (!service.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                service.destroyForcibly();
            }
            LOG.log(Level.INFO, "service stopped in {0} ms after SIGTERM (exit {1})",
                    (System.nanoTime() - stopping) / 1_000_000, service.exitValue());
            deleteTree(data);
        }
    }

    interface Requests {
        HttpRequest next(int thread);
    }

    private static double run(String name, HttpClient http, long millis, Requests requests) throws Exception {
        AtomicLong records = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        long start = System.nanoTime();
        long deadline = start + millis * 1_000_000;
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            done.add(pool.submit(() -> {
                while (System.nanoTime() < deadline) {
                    try {
                        HttpResponse<String> r = http.send(requests.next(thread), HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() == 200) {
                            records.addAndGet(BATCH);
                        } else {
                            failures.incrementAndGet();
                        }
                    } catch (IOException e) {
                        failures.incrementAndGet();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        double secs = (System.nanoTime() - start) / 1e9;
        double mbs = records.get() * RECORD_BYTES / secs / 1e6;
        LOG.log(Level.INFO, String.format("%s: %d records of %d B in %.1f s = %.1f MB/s (%.0f records/s), %d failed "
                + "requests", name, records.get(), RECORD_BYTES, secs, mbs, records.get() / secs, failures.get()));
        return mbs;
    }

    private static long awaitFirst200(HttpClient http, String url, long started) throws InterruptedException {
        long deadline = started + Duration.ofSeconds(120).toNanos();
        HttpRequest r = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).GET().build();
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(r, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return (System.nanoTime() - started) / 1_000_000;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException("the service did not answer within 120 s");
    }

    private static void send(HttpClient http, HttpRequest r, int expected) throws IOException, InterruptedException {
        HttpResponse<String> a = http.send(r, HttpResponse.BodyHandlers.ofString());
        if (a.statusCode() != expected) {
            throw new IllegalStateException(r.uri() + " answered " + a.statusCode() + ": " + a.body());
        }
    }

    /** RFC 0009's binary batch: "SLTB", version 1, count, then records (offset -1, timestamp -1, no key). */
    private static byte[] binaryBatch(byte[] value) {
        ByteBuffer b = ByteBuffer.allocate(9 + BATCH * (8 + 8 + 4 + 4 + value.length + 4));
        b.put("SLTB".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).putInt(BATCH);
        for (int i = 0; i < BATCH; i++) {
            b.putLong(-1).putLong(-1).putInt(-1).putInt(value.length).put(value).putInt(0);
        }
        return b.array();
    }

    private static byte[] jsonBatch(byte[] value) {
        String v = Base64.getEncoder().encodeToString(value);
        StringBuilder sb = new StringBuilder("{\"records\":[");
        for (int i = 0; i < BATCH; i++) {
            sb.append(i == 0 ? "" : ",").append("{\"value\":\"").append(v).append("\"}");
        }
        return sb.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static long rssKiB(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
