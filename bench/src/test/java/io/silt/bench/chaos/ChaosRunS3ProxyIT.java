package io.silt.bench.chaos;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ChaosRunTest} against S3Proxy, started as a child JVM ({@code io.silt.bench.s3proxy.S3ProxyProcess}), with
 * 10,000 records: every worker JVM loads the AWS SDK, which on a 2-core machine makes start-ups slow.
 */
class ChaosRunS3ProxyIT {
    @Test
    void s3ProxyKeepsEveryGuaranteeUnderChaos(@TempDir Path dir) {
        ChaosRunSupport.runAndCheck("s3proxy", 10_000, dir);
    }
}
