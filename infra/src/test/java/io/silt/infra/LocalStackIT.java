package io.silt.infra;

import java.net.URI;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.localstack.LocalStackContainer;

/**
 * The store contract and produce/consume on LocalStack's S3. Needs a Docker engine: without one the class is
 * skipped and reported so (Testcontainers' {@code disabledWithoutDocker}).
 */
@Testcontainers(disabledWithoutDocker = true)
class LocalStackIT extends ContainerStoreContract {
    /** The image localstack/docker-compose.yml runs too. */
    static final String IMAGE = "localstack/localstack:4.4";

    @Container
    static final LocalStackContainer LOCALSTACK = new LocalStackContainer(IMAGE).withServices("s3");

    @Override
    URI endpoint() {
        return LOCALSTACK.getEndpoint();
    }

    @Override
    String accessKey() {
        return LOCALSTACK.getAccessKey();
    }

    @Override
    String secretKey() {
        return LOCALSTACK.getSecretKey();
    }
}
