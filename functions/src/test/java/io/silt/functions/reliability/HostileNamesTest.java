package io.silt.functions.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.silt.client.ConsumerConfig;
import io.silt.client.Producer;
import io.silt.client.QueueConfig;
import io.silt.client.Silt;
import io.silt.client.SiltClient;
import io.silt.functions.SiltRuntime;
import io.silt.functions.reliability.HttpProbe.Request;
import io.silt.storage.ObjectInfo;
import io.silt.functions.reliability.RestRoutes.Route;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Names that could escape a topic's prefix in the bucket ({@code ../}, percent-encoded and unicode look-alike
 * slashes and dots, backslashes, NUL and control characters, 10,000 characters, empty) as topic, group, queue,
 * member and state-key path parameters and as a new topic's name, through the REST API over a filesystem store,
 * and through the SDK directly on a filesystem store: each is refused (a 4xx problem naming the rule, or the SDK's
 * {@link io.silt.client.InvalidRequestException}), and afterwards no file exists outside the store's root, nor
 * under it outside the directories Silt writes.
 */
@QuarkusTest
@TestProfile(FileStoreProfile.class)
class HostileNamesTest {
    /** Hostile names, each sent percent-encoded as one path segment. */
    static final List<String> NAMES = List.of("..", ".", "../", "../../../../etc/passwd", "..%2F", "%2e%2e",
            "%2e%2e%2f..", "%2f", "a/b", "a\\b", "..\\..\\x", "a\u0000b", "a\nb", "\u001b[31m", "\uff0e\uff0e\uff0f",
            "\u2024\u2024\u2215x", "orders\u2215..", "\uff4f\uff52\uff44\uff45\uff52\uff53", "x".repeat(1000), "",
            " ", "orders ", "~tmp", "%00");
    /** Too long for a name anywhere (a request line this long is refused by the HTTP layer, see below). */
    static final String VERY_LONG = "x".repeat(10_000);
    /** Sent as they are in the path (no encoding), for the ones a client can send. */
    static final List<String> RAW = List.of("..", "..%2F", "%2e%2e", "%2E%2E%2F..%2F", "%2f", "..%5C..%5Cx", "%00",
            "%FF%FE", "%c0%ae%c0%ae");

    @TestHTTPResource("/")
    URL base;

    @Inject
    SiltRuntime silt;

    @AfterEach
    void nothingEscapedTheRoot() throws IOException {
        try (Stream<Path> outer = Files.list(FileStoreProfile.OUTER)) {
            assertThat(outer.toList()).as("what the service made beside its root").containsExactly(
                    FileStoreProfile.ROOT);
        }
        for (ObjectInfo o : silt.store().listAll("")) {
            if (o.key().startsWith("groups/billing/")) {
                continue; // the state area the test writes keys to
            }
            for (String segment : o.key().split("/")) {
                assertThat(segment).as("a segment of stored key %s", o.key()).matches("[A-Za-z0-9_=-][A-Za-z0-9._=-]*");
            }
            // the only names the fixtures use: nothing refused may have left an object under its name
            if (o.key().startsWith("topics/") || o.key().startsWith("data/")) {
                assertThat(o.key().split("/")[1]).as("topic of %s", o.key()).isEqualTo("orders");
            }
        }
    }

    @Test
    void everyNameParameterOfEveryRouteRefusesHostileNames() {
        HttpProbe probe = new HttpProbe(base, silt.store());
        Fixtures.create(probe);
        int refused = 0;
        for (Route route : RestRoutes.all()) {
            for (String param : route.pathParams()) {
                if (param.equals("partition")) {
                    continue; // numbers: HttpFuzzTest
                }
                List<String> segments = new ArrayList<>(RAW);
                NAMES.forEach(n -> segments.add(Route.segment(n)));
                for (String s : segments) {
                    // a state key keeps its area prefix, so the name is what is hostile
                    String value = param.equals("key") ? "groups/billing/" + s : s;
                    Request r = new Request(route.method(), route.path(Map.of(param, value)),
                            Map.of("Content-Type", "application/json"), route.takesBody()
                                    ? "{\"records\":[{\"value\":\"x\"}]}".getBytes(StandardCharsets.UTF_8) : null);
                    String what = "{" + param + "} = '" + shown(s) + "' on " + route;
                    if (param.equals("key")) {
                        // a state key is an object key, not a name: backslashes or look-alikes are legal inside the
                        // area; what matters is that it stays there (checked after the test) and nothing fails
                        HttpProbe.Answer a = probe.send(r);
                        assertThat(a.status()).as("%s: %s", what, a).isLessThan(500);
                        if (a.status() >= 400) {
                            HttpProbe.assertProblem(what, r, a);
                        }
                    } else if (namesAnotherRoute(s)) {
                        // client and server resolve dot segments (RFC 3986) and an empty one is a trailing or double
                        // slash: the URL names another route or none
                        Map<String, String> before = probe.objects();
                        HttpProbe.Answer a = probe.send(r);
                        assertThat(a.status() < 500 || HttpProbe.notImplemented(a)).as("%s: %s", what, a).isTrue();
                        if (a.status() >= 400 && !HttpProbe.notImplemented(a)) {
                            HttpProbe.assertProblem(what, r, a);
                        }
                        assertThat(probe.objects()).as("%s writes nothing", what).isEqualTo(before);
                    } else {
                        probe.refused(what, r);
                        refused++;
                    }
                }
            }
        }
        // a request line over quarkus.http.limits.max-initial-line-length (4096) is refused by the HTTP layer
        // before any route: a bare 414 or 431, no body, nothing written
        Map<String, String> before = probe.objects();
        HttpProbe.Answer tooLong = probe.send(new Request("GET", "/v1/topics/" + VERY_LONG, Map.of(), null));
        assertThat(tooLong.status()).as("a %d-character path", VERY_LONG.length()).isIn(414, 431);
        assertThat(probe.objects()).isEqualTo(before);
        List<String> bodyNames = new ArrayList<>(NAMES);
        bodyNames.add(VERY_LONG);
        for (String name : bodyNames) {
            String body = "{\"name\":\"" + name.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")
                    .replace("\u0000", "\\u0000").replace("\u001b", "\\u001b") + "\",\"partitions\":1}";
            HttpProbe.Answer a = probe.refused("creating topic '" + shown(name) + "'", new Request("POST", "/v1/topics",
                    Map.of("Content-Type", "application/json"), body.getBytes(StandardCharsets.UTF_8)), 400);
            assertThat(a.body()).as("why topic '%s' is refused", shown(name)).contains("topic name");
            refused++;
        }
        System.getLogger(HostileNamesTest.class.getName()).log(System.Logger.Level.INFO,
                "hostile names: {0} requests refused", refused);
    }

    @Test
    void theSdkOnAFilesystemStoreRefusesHostileNames() {
        try (SiltClient client = Silt.connect("file:" + FileStoreProfile.ROOT)) {
            if (!client.admin().listTopics().contains("orders")) {
                client.admin().createTopic("orders", 2);
            }
            List<String> names = new ArrayList<>(NAMES);
            names.add(VERY_LONG);
            for (String name : names) {
                List<Consumer<SiltClient>> uses = List.of(
                        c -> c.admin().createTopic(name, 1),
                        c -> c.admin().describeGroup(name),
                        c -> {
                            try (Producer p = c.producer()) {
                                p.send(name, "k", "v").join();
                            }
                        },
                        c -> {
                            try (io.silt.client.Consumer consumer = c.consumer(ConsumerConfig.defaults()
                                    .withGroupId(name))) {
                                consumer.subscribe(List.of("orders"));
                                consumer.poll(java.time.Duration.ofMillis(10));
                            }
                        },
                        c -> c.queueConsumer(name, QueueConfig.defaults()).close(),
                        c -> c.queueConsumer("orders", QueueConfig.defaults().withQueueName(name)).close(),
                        c -> c.queueConsumer("orders", QueueConfig.defaults().withDeadLetterTopic(name)).close());
                for (int i = 0; i < uses.size(); i++) {
                    Consumer<SiltClient> use = uses.get(i);
                    Throwable t = catchThrowable(() -> use.accept(client));
                    // a future's failure carries the cause
                    Throwable cause = t instanceof java.util.concurrent.CompletionException ? t.getCause() : t;
                    assertThat(cause).as("use %d of '%s'", i, shown(name))
                            .isInstanceOfAny(io.silt.client.InvalidRequestException.class,
                                    IllegalArgumentException.class)
                            .hasMessageContaining("name");
                }
            }
        }
    }

    /** Whether a path segment, once percent-decoded, is empty or is or holds a {@code .} or {@code ..} segment. */
    private static boolean namesAnotherRoute(String segment) {
        String decoded = java.net.URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        return Stream.of(decoded.split("/", -1)).anyMatch(p -> p.isEmpty() || p.equals(".") || p.equals(".."));
    }

    /** A name as shown in a failure: long ones cut. */
    private static String shown(String name) {
        return name.length() <= 60 ? name : name.substring(0, 20) + "...(" + name.length() + " characters)";
    }
}
