package io.silt.infra;

import java.lang.reflect.Method;
import java.net.URI;
import java.util.Set;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testcontainers.containers.MinIOContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The store contract and produce/consume on MinIO. Needs a Docker engine: without one the class is skipped and
 * reported so (Testcontainers' {@code disabledWithoutDocker}).
 */
@Testcontainers(disabledWithoutDocker = true)
class MinioIT extends ContainerStoreContract {
    /** The image localstack/docker-compose.yml runs too. */
    static final String IMAGE = "minio/minio:RELEASE.2025-04-22T22-12-26Z";

    @Container
    static final MinIOContainer MINIO = new MinIOContainer(IMAGE);

    @Override
    URI endpoint() {
        return URI.create(MINIO.getS3URL());
    }

    @Override
    String accessKey() {
        return MINIO.getUserName();
    }

    @Override
    String secretKey() {
        return MINIO.getPassword();
    }

    /**
     * MinIO keeps objects as files, so {@code a/b} and {@code a/b/c} cannot coexist (it answers
     * {@code XMinioParentIsObject}); Silt's key layout never has a key below another key. The two contract tests
     * that store such keys are skipped with that reason (they are package-private in the contract, so a condition
     * rather than an override).
     */
    @RegisterExtension
    static final ExecutionCondition NO_KEYS_BELOW_KEYS = context -> context.getTestMethod()
            .map(Method::getName)
            .filter(Set.of("keyAndKeysBelowItCoexist", "listFiltersByPrefixInUtf8Order")::contains)
            .map(name -> ConditionEvaluationResult.disabled(name + " stores a key below another key, which MinIO "
                    + "refuses (XMinioParentIsObject); Silt's key layout never does"))
            .orElse(ConditionEvaluationResult.enabled("MinIO can store these keys"));
}
