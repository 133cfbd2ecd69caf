package io.silt.functions.compaction;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.silt.functions.SiltRuntime;
import io.silt.functions.lambda.Events;
import io.silt.functions.lambda.FakeContext;
import io.silt.storage.ObjectInfo;
import io.silt.storage.log.CompactorFencedException;
import io.silt.storage.log.CompactorLease;
import io.silt.storage.log.Topics;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Compaction in the service and in the Lambda handler, on a {@link ManualCompactionClock}: runs on demand over a
 * topic of many small commits, the metrics, a busy lease, a cold function taking over a crashed holder's lease, a
 * function skipping while a live holder renews, and the handler behind the Lambda mock event server. Counts are
 * checked against what changed in the (shared, in-memory) store, so other tests' topics do not disturb them.
 */
@QuarkusTest
@TestProfile(CompactionProfile.class)
class CompactionServiceTest {
    private static final Duration LEASE = Duration.ofMinutes(2);
    private static final Duration MARGIN = Duration.ofSeconds(20);

    @TestHTTPResource("/")
    URL base;

    @Inject
    SiltRuntime silt;

    @Inject
    ManualCompactionClock clock;

    @Inject
    CompactionHandler handler;

    @Inject
    CompactionScheduler scheduler;

    @Inject
    MeterRegistry registry;

    @AfterEach
    void noHook() {
        clock.onSleep(null);
    }

    private RequestSpecification api() {
        return given().baseUri(base.toString());
    }

    @Test
    void aRunOverManySmallCommitsWritesACheckpointAndAnotherCollectsAfterTheGracePeriod() {
        String topic = "compaction-many-commits";
        silt.client().admin().createTopic(topic, 1, Optional.empty(), Optional.empty());
        String prefix = new Topics(silt.store(), clock.clock(), new SplittableRandom()).require(topic)
                .partitionPrefix(0);
        int commits = 40;
        for (int i = 0; i < commits; i++) { // one request at a time: one commit record each
            api().contentType("application/json")
                    .body("{\"encoding\":\"utf8\",\"records\":[{\"value\":\"record " + i + "\"}]}")
                    .post("/v1/topics/" + topic + "/partitions/0/records").then().statusCode(200);
        }
        assertThat(keys(prefix + "log/")).hasSize(commits);

        Set<String> before = keys("data/");
        JsonPath first = api().post("/v1/compaction").then().statusCode(200).extract().jsonPath();
        Set<String> after = keys("data/");
        assertThat(first.getString("status")).isEqualTo("COMPLETED");
        assertThat(first.getInt("partitionsVisited")).isEqualTo(partitions());
        Set<String> newCheckpoints = minus(after, before).stream().filter(k -> k.contains("/ckpt/"))
                .collect(Collectors.toSet());
        assertThat(newCheckpoints).contains(prefix + "ckpt/" + "0".repeat(19) + "1");
        assertThat(first.getInt("checkpointsWritten")).isEqualTo(newCheckpoints.size());
        assertThat(first.getInt("objectsDeleted")).isEqualTo(minus(before, after).size());
        assertThat(keys(prefix + "log/")).as("commit records wait out the grace period").hasSize(commits);

        double deletedMetric = counter("silt.compaction.objects.deleted", null);
        double bytesMetric = counter("silt.compaction.bytes.reclaimed", null);
        double completed = counter("silt.compaction.runs", "completed");
        clock.advance(Duration.ofMinutes(31)); // past the 30-minute grace period
        before = keys("data/");
        JsonPath second = api().post("/v1/compaction").then().statusCode(200).extract().jsonPath();
        after = keys("data/");
        Set<String> deleted = minus(before, after);
        assertThat(second.getString("status")).isEqualTo("COMPLETED");
        assertThat(second.getInt("objectsDeleted")).isEqualTo(deleted.size());
        assertThat(keys(prefix + "log/")).as("the checkpoint covers every commit record").isEmpty();
        assertThat(second.getLong("requests.delete")).isPositive();
        assertThat(second.getLong("requests.total")).isGreaterThan(second.getLong("requests.delete"));

        assertThat(counter("silt.compaction.objects.deleted", null) - deletedMetric).isEqualTo(deleted.size());
        assertThat(counter("silt.compaction.bytes.reclaimed", null) - bytesMetric)
                .isEqualTo(second.getLong("bytesDeleted")).isPositive();
        assertThat(counter("silt.compaction.runs", "completed") - completed).isEqualTo(1);

        api().get("/v1/compaction").then().statusCode(200)
                .body("interval", equalTo("off"))
                .body("budgetMs", equalTo(600_000))
                .body("running", equalTo(false))
                .body("lastRun.trigger", equalTo("api"))
                .body("lastRun.objectsDeleted", equalTo(deleted.size()))
                .body("lastRun.summary", containsString("completed"));
    }

    @Test
    void aRunWhileAnotherCompactorHoldsTheLeaseIsBusy() {
        CompactorLease other = lease("silt compact on a laptop");
        assertThat(other.tryAcquire()).isInstanceOf(CompactorLease.Acquisition.Acquired.class);
        double busy = counter("silt.compaction.runs", "busy");
        try {
            api().post("/v1/compaction").then().statusCode(200)
                    .body("status", equalTo("BUSY"))
                    .body("leaseHolder", containsString("silt compact on a laptop"))
                    .body("partitionsVisited", equalTo(0));
            assertThat(counter("silt.compaction.runs", "busy") - busy).isEqualTo(1);
            assertThat(other.isHeld()).as("a busy run does not disturb the holder").isTrue();
        } finally {
            other.release();
        }
        api().post("/v1/compaction").then().statusCode(200).body("status", equalTo("COMPLETED"));
    }

    @Test
    void theScheduledRunIsTheServiceRun() {
        scheduler.run();
        api().get("/v1/compaction").then().statusCode(200).body("lastRun.trigger", equalTo("schedule"))
                .body("lastRun.status", equalTo("COMPLETED"));
    }

    @Test
    void aColdFunctionWaitsOutTheLeaseOfACrashedHolderAndTakesOver() {
        CompactorLease crashed = lease("crashed function");
        long crashedEpoch = ((CompactorLease.Acquisition.Acquired) crashed.tryAcquire()).epoch();
        Duration slept = clock.slept();

        Map<String, Object> out = handler.handleRequest(Map.of(), new FakeContext(900_000));

        Duration waited = clock.slept().minus(slept);
        assertThat(out.get("status")).as(out.get("summary").toString()).isEqualTo("COMPLETED");
        assertThat((Long) out.get("epoch")).isGreaterThan(crashedEpoch);
        assertThat(waited).isBetween(LEASE.plus(MARGIN), LEASE.plus(MARGIN).plus(CompactionHandler.WAIT_SLACK));
        assertThatThrownBy(crashed::ensureHeld).isInstanceOf(CompactorFencedException.class);
    }

    @Test
    void aFunctionThatOverlapsALiveRunWaitsUntilItSeesARenewalThenSkips() {
        CompactorLease live = lease("long run");
        assertThat(live.tryAcquire()).isInstanceOf(CompactorLease.Acquisition.Acquired.class);
        clock.onSleep(live::ensureHeld); // the holder works on, renewing after half its lease
        Duration slept = clock.slept();
        try {
            Map<String, Object> out = handler.handleRequest(Map.of(), new FakeContext(900_000));

            assertThat(out.get("status")).isEqualTo("BUSY");
            assertThat((String) out.get("leaseHolder")).contains("long run");
            assertThat(clock.slept().minus(slept)).isPositive().isLessThan(LEASE.plus(MARGIN));
            assertThat(live.isHeld()).isTrue();
        } finally {
            live.release();
        }
    }

    @Test
    void theScheduledEventThroughTheMockEventServerAnswersTheReport() {
        given().contentType("application/json").body(Events.read("scheduled-compaction.json"))
                .post().then().statusCode(200)
                .body("status", equalTo("COMPLETED"))
                .body("requests.total", org.hamcrest.Matchers.greaterThan(0))
                .body("summary", containsString("compaction of"));
        given().contentType("application/json").body("{\"budgetSeconds\":5}")
                .post().then().statusCode(500)
                .body("errorMessage", containsString("no time for compaction"));
    }

    private CompactorLease lease(String owner) {
        return new CompactorLease(silt.store(), owner, LEASE, MARGIN, clock.clock(), clock::nanoTime,
                new SplittableRandom());
    }

    private int partitions() {
        return silt.client().admin().listTopics().stream()
                .mapToInt(t -> silt.client().admin().describeTopic(t).partitions()).sum();
    }

    private Set<String> keys(String prefix) {
        return silt.store().listAll(prefix).stream().map(ObjectInfo::key)
                .collect(Collectors.toCollection(HashSet::new));
    }

    private static Set<String> minus(Set<String> a, Set<String> b) {
        Set<String> out = new HashSet<>(a);
        out.removeAll(b);
        return out;
    }

    private double counter(String name, String status) {
        Counter c = status == null ? registry.find(name).counter() : registry.find(name).tag("status", status)
                .counter();
        return c == null ? 0 : c.count();
    }
}
