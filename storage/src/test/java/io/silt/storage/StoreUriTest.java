package io.silt.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StoreUriTest {

    // ------------------------------------------------------------------------------------------------ file:

    @Test
    void fileUriWithAbsolutePath() {
        StoreUri u = StoreUri.parse("file:/var/lib/silt");
        assertThat(u.kind()).isEqualTo(StoreUri.Kind.FILE);
        assertThat(u.path()).isEqualTo(Path.of("/var/lib/silt"));
        assertThat(u.toString()).isEqualTo("file:/var/lib/silt");
    }

    @Test
    void fileUriWithThreeSlashesOrLocalhost() {
        assertThat(StoreUri.parse("file:///var/lib/silt").path()).isEqualTo(Path.of("/var/lib/silt"));
        assertThat(StoreUri.parse("file://localhost/data").path()).isEqualTo(Path.of("/data"));
    }

    @Test
    void fileUriWithRelativePaths() {
        assertThat(StoreUri.parse("file:./data/q").path()).isEqualTo(Path.of("./data/q"));
        assertThat(StoreUri.parse("file:data").path()).isEqualTo(Path.of("data"));
        assertThat(StoreUri.parse("file:data").path().isAbsolute()).isFalse();
    }

    @Test
    void schemeIsCaseInsensitiveAndSurroundingSpaceIgnored() {
        assertThat(StoreUri.parse("  FILE:/x ").path()).isEqualTo(Path.of("/x"));
        assertThat(StoreUri.parse("S3://bucket").bucket()).isEqualTo("bucket");
    }

    @ParameterizedTest
    @ValueSource(strings = {"file:", "file://", "file:///"})
    void fileUriWithEmptyPathIsRejected(String uri) {
        // "file:///" names the root directory; it is accepted. The others have no path at all.
        if (uri.equals("file:///")) {
            assertThat(StoreUri.parse(uri).path()).isEqualTo(Path.of("/"));
            return;
        }
        assertThatThrownBy(() -> StoreUri.parse(uri))
                .isInstanceOf(StoreConfigurationException.class)
                .hasMessageContaining("empty path");
    }

    @Test
    void fileUriOnAnotherHostIsRejected() {
        assertThatThrownBy(() -> StoreUri.parse("file://server/share"))
                .isInstanceOf(StoreConfigurationException.class)
                .hasMessageContaining("host 'server'");
    }

    @Test
    void fileUriTakesNoParameters() {
        assertThatThrownBy(() -> StoreUri.parse("file:/data?fsync=true"))
                .isInstanceOf(StoreConfigurationException.class)
                .hasMessageContaining("unknown query parameter 'fsync'")
                .hasMessageContaining("take no query parameters");
    }

    // ------------------------------------------------------------------------------------------------ mem:

    @Test
    void memUris() {
        StoreUri plain = StoreUri.parse("mem:");
        assertThat(plain.kind()).isEqualTo(StoreUri.Kind.MEM);
        assertThat(plain.name()).isEmpty();
        assertThat(StoreUri.parse("mem:orders").name()).isEqualTo("orders");
        assertThat(StoreUri.parse("mem:orders").toString()).isEqualTo("mem:orders");
    }

    @Test
    void memUriWithOddNameIsRejected() {
        assertThatThrownBy(() -> StoreUri.parse("mem:a/b"))
                .isInstanceOf(StoreConfigurationException.class)
                .hasMessageContaining("invalid name 'a/b'");
    }

    // ------------------------------------------------------------------------------------------------ s3:

    @Test
    void s3UriWithBucketOnly() {
        StoreUri u = StoreUri.parse("s3://my-bucket");
        assertThat(u.kind()).isEqualTo(StoreUri.Kind.S3);
        assertThat(u.bucket()).isEqualTo("my-bucket");
        assertThat(u.prefix()).isEmpty();
        assertThat(u.region()).isEqualTo("us-east-1");
        assertThat(u.endpoint()).isEmpty();
        assertThat(u.pathStyle()).isFalse();
        assertThat(StoreUri.parse("s3://my-bucket/").prefix()).isEmpty();
    }

    @Test
    void s3UriWithPrefixGetsATrailingSlash() {
        assertThat(StoreUri.parse("s3://b.example/queues/prod").prefix()).isEqualTo("queues/prod/");
        assertThat(StoreUri.parse("s3://b.example/queues/prod/").prefix()).isEqualTo("queues/prod/");
    }

    @Test
    void s3UriWithAllParameters() {
        StoreUri u = StoreUri.parse("s3://bucket/p?endpoint=http://127.0.0.1:9000&region=eu-west-1&pathStyle=false");
        assertThat(u.endpoint()).contains(URI.create("http://127.0.0.1:9000"));
        assertThat(u.region()).isEqualTo("eu-west-1");
        assertThat(u.pathStyle()).isFalse();
        assertThat(u.toString())
                .isEqualTo("s3://bucket/p?endpoint=http://127.0.0.1:9000&region=eu-west-1&pathStyle=false");
        assertThat(StoreUri.parse(u.toString())).isEqualTo(u);
    }

    @Test
    void pathStyleDefaultsToOnWithAnEndpoint() {
        assertThat(StoreUri.parse("s3://bucket?endpoint=http://localhost:4566").pathStyle()).isTrue();
        assertThat(StoreUri.parse("s3://bucket?pathStyle=TRUE").pathStyle()).isTrue();
        assertThat(StoreUri.parse("s3://bucket?pathstyle=true").pathStyle()).isTrue(); // names are case-insensitive
    }

    @Test
    void percentEncodedEndpointIsDecoded() {
        assertThat(StoreUri.parse("s3://bucket?endpoint=http%3A%2F%2Fminio%3A9000").endpoint())
                .contains(URI.create("http://minio:9000"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"gs://bucket", "http://host/x", "s3a://bucket", "ftp:/x"})
    void unknownSchemeIsRejected(String uri) {
        String scheme = uri.substring(0, uri.indexOf(':'));
        assertThatThrownBy(() -> StoreUri.parse(uri))
                .isInstanceOf(StoreConfigurationException.class)
                .hasMessageContaining("unknown store URI scheme '" + scheme + ":'")
                .hasMessageContaining("file:")
                .hasMessageContaining("mem:")
                .hasMessageContaining("s3://");
    }

    @Test
    void missingSchemeIsRejectedWithAHint() {
        assertThatThrownBy(() -> StoreUri.parse("/var/data"))
                .isInstanceOf(StoreConfigurationException.class)
                .hasMessageContaining("no scheme")
                .hasMessageContaining("file:/var/data");
        assertThatThrownBy(() -> StoreUri.parse(""))
                .isInstanceOf(StoreConfigurationException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> StoreUri.parse(null)).isInstanceOf(StoreConfigurationException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"s3://", "s3:///prefix", "s3://?region=us-east-1"})
    void missingBucketIsRejected(String uri) {
        assertThatThrownBy(() -> StoreUri.parse(uri))
                .isInstanceOf(StoreConfigurationException.class)
                .hasMessageContaining("no bucket name");
    }

    @Test
    void s3WithoutSlashesIsRejected() {
        assertThatThrownBy(() -> StoreUri.parse("s3:bucket"))
                .isInstanceOf(StoreConfigurationException.class)
                .hasMessageContaining("s3://");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ab", "My-Bucket", "under_score", "-leading", "trailing-", "two..dots", "192.168.1.1",
            "spa ce", "this-bucket-name-is-far-too-long-for-s3-because-it-has-more-than-63"})
    void invalidBucketNamesAreRejected(String bucket) {
        assertThatThrownBy(() -> StoreUri.parse("s3://" + bucket + "/p"))
                .isInstanceOf(StoreConfigurationException.class)
                .hasMessageContaining("invalid S3 bucket name '" + bucket + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "my.bucket-1", "0123456789", "a-b.c-d"})
    void validBucketNamesAreAccepted(String bucket) {
        assertThat(StoreUri.parse("s3://" + bucket).bucket()).isEqualTo(bucket);
        String longest = "b".repeat(63);
        assertThat(StoreUri.parse("s3://" + longest).bucket()).isEqualTo(longest);
    }

    @Test
    void upperCaseBucketGetsASpecificMessage() {
        assertThatThrownBy(() -> StoreUri.parse("s3://MyBucket"))
                .isInstanceOf(StoreConfigurationException.class)
                .hasMessageContaining("lower-case");
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost:9000", "ftp://host:21", "http://", "http://host:9000/path", "http://host?x=1",
            "http://exa mple:9000", "http://user:pw@host:9000"})
    void badEndpointIsRejected(String endpoint) {
        assertThatThrownBy(() -> StoreUri.parse("s3://bucket?endpoint=" + endpoint))
                .isInstanceOf(StoreConfigurationException.class)
                .hasMessageContaining("bad endpoint URL")
                .hasMessageNotContaining("pw@");
    }

    @Test
    void unknownParameterIsNamedWithTheKnownOnes() {
        assertThatThrownBy(() -> StoreUri.parse("s3://bucket?endpiont=http://x:1"))
                .isInstanceOf(StoreConfigurationException.class)
                .hasMessageContaining("unknown query parameter 'endpiont'")
                .hasMessageContaining("endpoint, region, pathStyle");
    }

    @Test
    void credentialsInTheUriAreRejectedWithoutEchoingThem() {
        assertThatThrownBy(() -> StoreUri.parse("s3://bucket?secretKey=hunter2-very-secret"))
                .isInstanceOf(StoreConfigurationException.class)
                .hasMessageContaining("'secretKey'")
                .hasMessageContaining("SILT_S3_SECRET_KEY")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> StoreUri.parse("s3://AKIAXYZ:hunter2@bucket/p"))
                .isInstanceOf(StoreConfigurationException.class)
                .hasMessageContaining("credentials")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> StoreUri.parse("gs://bucket?token=hunter2"))
                .isInstanceOf(StoreConfigurationException.class)
                .hasMessageNotContaining("hunter2");
    }

    @ParameterizedTest
    @ValueSource(strings = {"yes", "1", "", "tru"})
    void badBooleanIsRejected(String value) {
        assertThatThrownBy(() -> StoreUri.parse("s3://bucket?pathStyle=" + value))
                .isInstanceOf(StoreConfigurationException.class)
                .hasMessageContaining("pathStyle");
    }

    @Test
    void badBooleanMessageSaysWhatIsExpected() {
        assertThatThrownBy(() -> StoreUri.parse("s3://bucket?pathStyle=yes"))
                .hasMessageContaining("must be true or false, was 'yes'");
    }

    @Test
    void repeatedOrValuelessParametersAreRejected() {
        assertThatThrownBy(() -> StoreUri.parse("s3://bucket?region=us-east-1&region=eu-west-1"))
                .isInstanceOf(StoreConfigurationException.class)
                .hasMessageContaining("given twice");
        assertThatThrownBy(() -> StoreUri.parse("s3://bucket?region"))
                .isInstanceOf(StoreConfigurationException.class)
                .hasMessageContaining("no value");
    }

    @Test
    void badRegionIsRejected() {
        assertThatThrownBy(() -> StoreUri.parse("s3://bucket?region=US_EAST"))
                .isInstanceOf(StoreConfigurationException.class)
                .hasMessageContaining("invalid region 'US_EAST'");
    }

    @Test
    void invalidPrefixIsRejected() {
        assertThatThrownBy(() -> StoreUri.parse("s3://bucket/a//b"))
                .isInstanceOf(StoreConfigurationException.class)
                .hasMessageContaining("prefix");
        assertThatThrownBy(() -> StoreUri.parse("s3://bucket/a/../b"))
                .isInstanceOf(StoreConfigurationException.class)
                .hasMessageContaining("prefix");
    }

    @Test
    void settingsOfAnotherKindAreNotAvailable() {
        assertThatThrownBy(() -> StoreUri.parse("mem:").bucket()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> StoreUri.parse("s3://bucket").path()).isInstanceOf(IllegalStateException.class);
    }
}
