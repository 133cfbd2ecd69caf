package io.silt.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ObjectStoresTest {

    @Test
    void memUriOpensAFreshInMemoryStore() {
        try (ObjectStore a = ObjectStores.open("mem:orders", Map.of());
                ObjectStore b = ObjectStores.open("mem:orders", Map.of())) {
            assertThat(a).isInstanceOf(InMemoryObjectStore.class);
            assertThat(a.describe()).isEqualTo("mem:orders");
            a.put("k", new byte[] {1});
            assertThat(b.get("k")).isEmpty();
        }
        try (ObjectStore plain = ObjectStores.open("mem:", Map.of())) {
            assertThat(plain.describe()).isEqualTo("mem:");
        }
    }

    @Test
    void s3UriOpensAnS3StoreWithoutTouchingTheNetwork() {
        Map<String, String> env = Map.of(ObjectStores.ACCESS_KEY_ENV, "AKIDEXAMPLE",
                ObjectStores.SECRET_KEY_ENV, "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
        try (ObjectStore s = ObjectStores.open("s3://my-bucket/queues/prod?endpoint=http://127.0.0.1:1&region=eu-west-1",
                env)) {
            assertThat(s).isInstanceOf(S3ObjectStore.class);
            S3ObjectStore s3 = (S3ObjectStore) s;
            assertThat(s3.describe()).isEqualTo("s3://my-bucket/queues/prod");
            assertThat(s3.bucket()).isEqualTo("my-bucket");
            assertThat(s3.prefix()).isEqualTo("queues/prod/");
            assertThat(s3.endpoint()).hasValueSatisfying(u -> assertThat(u.getPort()).isEqualTo(1));
            assertThat(s3.toString()).doesNotContain("wJalr").doesNotContain("AKIDEXAMPLE");
        }
    }

    @Test
    void s3UriWithoutEnvironmentCredentialsUsesTheDefaultChain() {
        // Nothing is resolved until the first request, so opening succeeds without any credentials around.
        try (ObjectStore s = ObjectStores.open("s3://my-bucket", Map.of())) {
            assertThat(s.describe()).isEqualTo("s3://my-bucket");
        }
    }

    @Test
    void halfOfAKeyPairIsAConfigurationError() {
        assertThatThrownBy(() -> ObjectStores.open("s3://my-bucket", Map.of(ObjectStores.ACCESS_KEY_ENV, "AKID")))
                .isInstanceOf(StoreConfigurationException.class)
                .hasMessageContaining(ObjectStores.SECRET_KEY_ENV + " is not");
        assertThatThrownBy(() -> ObjectStores.open("s3://my-bucket",
                Map.of(ObjectStores.SECRET_KEY_ENV, "very-secret-value")))
                .isInstanceOf(StoreConfigurationException.class)
                .hasMessageContaining(ObjectStores.ACCESS_KEY_ENV + " is not")
                .hasMessageNotContaining("very-secret-value");
    }

    @Test
    void environmentIsReadThroughTheGivenFunction() {
        java.util.List<String> asked = new java.util.ArrayList<>();
        try (ObjectStore s = ObjectStores.open("s3://my-bucket", name -> {
            asked.add(name);
            return null;
        })) {
            assertThat(asked).contains(ObjectStores.ACCESS_KEY_ENV, ObjectStores.SECRET_KEY_ENV);
            assertThat(s.describe()).isEqualTo("s3://my-bucket");
        }
    }

    @Test
    void malformedUrisAreConfigurationErrors() {
        assertThatThrownBy(() -> ObjectStores.open("nosuch://x", Map.of()))
                .isInstanceOf(StoreConfigurationException.class);
        assertThatThrownBy(() -> ObjectStores.open("file:", Map.of()))
                .isInstanceOf(StoreConfigurationException.class);
    }
}
