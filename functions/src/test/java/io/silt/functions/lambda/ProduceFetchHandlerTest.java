package io.silt.functions.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.silt.client.InvalidRequestException;
import io.silt.client.internal.Partitioners;
import io.silt.functions.SiltRuntime;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The produce and fetch handlers, injected and called with JSON fixtures and a fake Lambda context. */
@QuarkusTest
class ProduceFetchHandlerTest {
    static final String TOPIC = "lambda-produce";

    @Inject
    @Named("produce")
    ProduceHandler produce;

    @Inject
    @Named("fetch")
    FetchHandler fetch;

    @Inject
    LambdaLog log;

    @Inject
    SiltRuntime silt;

    @Inject
    ObjectMapper json;

    @BeforeEach
    void topic() {
        if (!silt.client().admin().listTopics().contains(TOPIC)) {
            silt.client().admin().createTopic(TOPIC, 3, Optional.of(Duration.ofDays(1)), Optional.empty());
        }
    }

    private ProduceHandler.ProduceEvent produceEvent() throws Exception {
        return json.readValue(Events.read("produce.json"), ProduceHandler.ProduceEvent.class);
    }

    @Test
    void recordsArePlacedStickyKeyedOrPinnedInRequestOrder() throws Exception {
        ProduceHandler.ProduceAnswer a = produce.handleRequest(produceEvent(), new FakeContext(30_000));

        List<ProduceHandler.Placed> placed = a.records();
        assertThat(placed).hasSize(4);
        assertThat(a.duplicate()).isFalse();
        int sticky = placed.get(0).partition();
        assertThat(placed.get(2).partition()).as("unkeyed records share the instance's sticky partition")
                .isEqualTo(sticky);
        assertThat(placed.get(1).partition())
                .isEqualTo(Partitioners.forKey("customer-7".getBytes(StandardCharsets.UTF_8), 3));
        assertThat(placed.get(3).partition()).isEqualTo(2);
        assertThat(placed.get(2).offset()).as("request order within a partition")
                .isGreaterThan(placed.get(0).offset());

        ProduceHandler.ProduceAnswer again = produce.handleRequest(produceEvent(), new FakeContext(30_000));
        assertThat(again.records().get(0).partition()).as("sticky for the whole instance").isEqualTo(sticky);
        assertThat(again.records().get(0).offset()).isGreaterThan(placed.get(0).offset());
    }

    @Test
    void commitRetriesAreBoundedExplicitly() {
        assertThat(log.config().maxLostRaces()).isEqualTo(16);
        assertThat(log.config().unknownRetries()).isEqualTo(3);
        assertThat(silt.transport().logConfig().maxLostRaces()).as("the service keeps its own bound")
                .isGreaterThan(log.config().maxLostRaces());
    }

    @Test
    void aRetryWithTheSameIdempotencyKeyAppendsOnce() throws Exception {
        ProduceHandler.ProduceEvent base = produceEvent();
        ProduceHandler.ProduceEvent keyed = new ProduceHandler.ProduceEvent(base.topic(), base.encoding(),
                base.records(), "order-17-" + System.nanoTime());
        ProduceHandler.ProduceAnswer first = produce.handleRequest(keyed, new FakeContext(30_000));
        long[] ends = endOffsets();

        ProduceHandler.ProduceAnswer retry = produce.handleRequest(keyed, new FakeContext(30_000));

        assertThat(retry.duplicate()).isTrue();
        assertThat(retry.records()).isEqualTo(first.records());
        assertThat(endOffsets()).as("nothing appended").isEqualTo(ends);
    }

    @Test
    void fetchReturnsRecordsInTheRequestedEncoding() throws Exception {
        ProduceHandler.ProduceAnswer a = produce.handleRequest(produceEvent(), new FakeContext(30_000));
        long pinned = a.records().get(3).offset();
        FetchHandler.FetchEvent fixture = json.readValue(Events.read("fetch.json"), FetchHandler.FetchEvent.class);
        FetchHandler.FetchEvent at = new FetchHandler.FetchEvent(fixture.topic(), fixture.partition(), pinned,
                fixture.maxRecords(), fixture.maxBytes(), fixture.waitMs(), fixture.encoding());

        FetchHandler.FetchAnswer got = fetch.handleRequest(at, new FakeContext(30_000));

        assertThat(got.records()).isNotEmpty();
        assertThat(got.records().get(0).offset()).isEqualTo(pinned);
        assertThat(got.records().get(0).value()).isEqualTo("pinned");
        assertThat(got.endOffset()).isGreaterThan(pinned);
    }

    @Test
    void theLongPollIsBoundedByTheInvocationsRemainingTime() throws Exception {
        assertThat(fetch.waitBound(new FakeContext(1_500))).isEqualTo(500);
        assertThat(fetch.waitBound(new FakeContext(800))).isZero();
        assertThat(fetch.waitBound(new FakeContext(600_000))).as("capped by silt.max-wait-ms").isEqualTo(20_000);

        long end = silt.transport().offsets(TOPIC, 0)[1];
        FetchHandler.FetchAnswer none = fetch.handleRequest(new FetchHandler.FetchEvent(TOPIC, 0, end, null, null,
                60_000L, null), new FakeContext(1_000));
        assertThat(none.records()).as("no time left: answered at once, empty").isEmpty();
    }

    @Test
    void badEventsAreRefusedWithReasons() {
        assertThatThrownBy(() -> produce.handleRequest(new ProduceHandler.ProduceEvent(TOPIC, "base64",
                List.of(new ProduceHandler.Item(null, "not base64!", Map.of(), null, null)), null),
                new FakeContext(30_000)))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("base64");
        assertThatThrownBy(() -> produce.handleRequest(new ProduceHandler.ProduceEvent(TOPIC, "utf8",
                List.of(new ProduceHandler.Item(null, "x", null, 3, null)), null), new FakeContext(30_000)))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("no partition 3");
        assertThatThrownBy(() -> fetch.handleRequest(new FetchHandler.FetchEvent(TOPIC, null, 0L, null, null, null,
                null), new FakeContext(30_000)))
                .isInstanceOf(InvalidRequestException.class);
    }

    private long[] endOffsets() {
        long[] ends = new long[3];
        for (int p = 0; p < 3; p++) {
            ends[p] = silt.transport().offsets(TOPIC, p)[1];
        }
        return ends;
    }
}
