package io.silt.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@code silt serve} as a user would (its own JVM, the real service jar) and talks to it. */
class ServeCommandTest {
    private static final Pattern LISTENING = Pattern.compile("Listening on: (http://[^\\s]+)");

    @Test
    void servesTheRestApiOverAFileStoreAndStopsOnSigterm(@TempDir Path dir) throws Exception {
        String runner = System.getProperty(Serve.RUNNER_PROPERTY);
        assumeTrue(runner != null && Files.isRegularFile(Path.of(runner)),
                "the functions module's runner jar is not built (" + runner + ")");
        // The service's JVM options come from the file the functions build puts beside its jar.
        assertThat(Serve.jvmOptions(Path.of(runner))).contains("-XX:+UseSerialGC", "-Dsilt.max-in-flight-bytes=25165824")
                .noneMatch(o -> o.isEmpty() || o.startsWith("#"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.silt.cli.SiltCli", "serve", "--port", "0",
                "--runner", runner, "--store", "file:" + dir.resolve("data")));
        Process cli = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        StringBuilder output = new StringBuilder();
        CompletableFuture<String> url = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(cli.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    synchronized (output) {
                        output.append(line).append('\n');
                    }
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        url.complete(m.group(1));
                    }
                }
                url.complete(null);
            } catch (Exception e) {
                url.completeExceptionally(e);
            }
        });
        reader.setDaemon(true);
        reader.start();
        try {
            String base = url.get(2, TimeUnit.MINUTES);
            assertThat(base).as("the service's output:\n%s", output).isNotNull().startsWith("http://127.0.0.1:");

            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/topics"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"served\",\"partitions\":2}"))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            HttpResponse<String> list = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/topics"))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(list.body()).contains("served");
            // The topic is in the store the service was given.
            assertThat(dir.resolve("data")).isDirectory();

            // The README's curl examples, through the same routes.
            String produce = "{\"encoding\":\"utf8\",\"records\":[{\"key\":\"c42\",\"value\":\"hello\"}]}";
            HttpRequest keyed = HttpRequest.newBuilder(URI.create(base + "/v1/topics/served/records"))
                    .header("Content-Type", "application/json").header("Idempotency-Key", "order-1")
                    .POST(HttpRequest.BodyPublishers.ofString(produce)).timeout(Duration.ofSeconds(30)).build();
            HttpResponse<String> first = http.send(keyed, HttpResponse.BodyHandlers.ofString());
            assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
            assertThat(first.body()).contains("\"offset\":0");
            HttpResponse<String> retry = http.send(keyed, HttpResponse.BodyHandlers.ofString());
            assertThat(retry.body()).as("a retry with the same key appends nothing").contains("\"duplicate\":true");
            int partition = Integer.parseInt(first.body().replaceAll("(?s).*\"partition\":(\\d+).*", "$1"));
            HttpResponse<String> fetched = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/topics/served/"
                    + "partitions/" + partition + "/records?offset=0&waitMs=5000&encoding=utf8"))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(fetched.statusCode()).isEqualTo(200);
            assertThat(fetched.body()).contains("\"value\":\"hello\"").contains("\"endOffset\":1");
            // Those are the README's requests.
            String readme = Files.readString(Path.of("").toAbsolutePath().getParent().resolve("README.md"));
            assertThat(readme).contains("-d '" + produce + "'").contains("Idempotency-Key: order-1")
                    .contains("/records?offset=0&waitMs=5000&encoding=utf8");

            // The command line through the service (--url): produce and consume as with a store. The keyed record
            // above went to one partition; consume reads all of them.
            assertThat(Cli.run("topics", "list", "--url", base).outLines()).contains("served");
            Cli.Run produced = Cli.runWithInput("one\ntwo\nthree\n", "produce", "served", "--key", "k", "--url", base);
            assertThat(produced.exitCode()).as(produced.err()).isZero();
            Cli.Run consumed = Cli.run("consume", "served", "--from-beginning", "--max", "4", "--timeout", "20s",
                    "--url", base);
            assertThat(consumed.exitCode()).as(consumed.err()).isZero();
            assertThat(consumed.outLines()).containsExactlyInAnyOrder("hello", "one", "two", "three");
            assertThat(consumed.outLines()).containsSubsequence("one", "two", "three"); // one key: in order

            List<ProcessHandle> service = cli.descendants().toList();
            assertThat(service).as("the service runs as the CLI's child").isNotEmpty();
            cli.destroy(); // SIGTERM to the CLI, which stops the service gracefully and waits for it
            assertThat(cli.waitFor(90, TimeUnit.SECONDS)).as("the CLI exits after SIGTERM").isTrue();
            assertThat(service).as("the service stopped with the CLI").noneMatch(ProcessHandle::isAlive);
        } finally {
            // Never leave the service behind: a killed CLI cannot stop it.
            cli.descendants().forEach(ProcessHandle::destroyForcibly);
            cli.destroyForcibly();
        }
    }
}
