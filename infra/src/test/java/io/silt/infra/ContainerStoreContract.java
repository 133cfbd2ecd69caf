package io.silt.infra;

import static org.assertj.core.api.Assertions.assertThat;

import io.silt.client.Consumer;
import io.silt.client.ConsumerConfig;
import io.silt.client.ConsumerRecord;
import io.silt.client.Producer;
import io.silt.client.Silt;
import io.silt.client.SiltClient;
import io.silt.storage.ObjectStore;
import io.silt.storage.ObjectStoreContract;
import io.silt.storage.ObjectStores;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The store contract and an end-to-end produce/consume through the SDK against an S3-compatible server in a
 * container: each test gets a fresh prefix of one bucket, reached by a {@code s3://} URI as a user would write it.
 */
abstract class ContainerStoreContract extends ObjectStoreContract {
    static final String BUCKET = "silt";
    private static final AtomicInteger PREFIXES = new AtomicInteger();

    /** The server's S3 endpoint. */
    abstract URI endpoint();

    abstract String accessKey();

    abstract String secretKey();

    /** A {@code s3://} store URI for a fresh prefix, creating the bucket on first use. */
    String freshStoreUri() {
        try (S3Client s3 = S3Client.builder().endpointOverride(endpoint()).region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey(),
                        secretKey())))
                .build()) {
            if (s3.listBuckets().buckets().stream().noneMatch(b -> b.name().equals(BUCKET))) {
                s3.createBucket(b -> b.bucket(BUCKET));
            }
        }
        return "s3://" + BUCKET + "/t" + PREFIXES.incrementAndGet() + "?endpoint=" + endpoint()
                + "&region=us-east-1&pathStyle=true";
    }

    /** The credentials as the SDK and CLI read them from the environment. */
    Map<String, String> credentials() {
        return Map.of(ObjectStores.ACCESS_KEY_ENV, accessKey(), ObjectStores.SECRET_KEY_ENV, secretKey());
    }

    @Override
    protected ObjectStore newStore() {
        return ObjectStores.open(freshStoreUri(), credentials());
    }

    @Test
    void producedRecordsAreConsumedByAGroup() {
        List<String> seen = new ArrayList<>();
        try (SiltClient silt = Silt.builder(freshStoreUri()).environment(credentials()).build()) {
            silt.admin().createTopic("orders", 2);
            try (Producer producer = silt.producer()) {
                for (int i = 0; i < 10; i++) {
                    producer.send("orders", "customer-" + i, "order " + i).join();
                }
            }
            try (Consumer consumer = silt.consumer(ConsumerConfig.defaults().withGroupId("billing")
                    .withAutoOffsetReset(ConsumerConfig.OffsetReset.EARLIEST))) {
                consumer.subscribe(List.of("orders"));
                for (int i = 0; i < 50 && seen.size() < 10; i++) {
                    for (ConsumerRecord r : consumer.poll(Duration.ofMillis(500))) {
                        seen.add(r.valueAsString());
                    }
                }
                consumer.commitSync();
            }
        }
        assertThat(seen).hasSize(10).containsExactlyInAnyOrderElementsOf(
                IntStream.range(0, 10).mapToObj(i -> "order " + i).toList());
    }
}
