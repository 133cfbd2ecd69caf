package io.silt.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.silt.storage.ConformanceReport.CheckResult;
import io.silt.storage.ConformanceReport.Outcome;
import io.silt.storage.StoreConformanceCheck.Options;
import io.silt.storage.testing.S3ProxyServer;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The conformance check against the real local stores: the filesystem store and S3Proxy (filesystem backend), with
 * the default 16 writers x 20 rounds. Both must be safe for Silt; S3Proxy's If-Match race is logged as information.
 */
class StoreConformanceCheckIT {
    private static final Logger LOG = System.getLogger(StoreConformanceCheckIT.class.getName());
    private static final Options OPTIONS = Options.defaults();

    static S3ProxyServer server;

    @BeforeAll
    static void startServer() {
        server = S3ProxyServer.shared();
    }

    private static ConformanceReport check(ObjectStore store) {
        ConformanceReport report = new StoreConformanceCheck(OPTIONS).run(store);
        LOG.log(Level.INFO, () -> "\n" + report.toText());
        return report;
    }

    private static void assertSafeAndClean(ObjectStore store, ConformanceReport report) {
        assertThat(report.safeForSilt()).as(report.toText()).isTrue();
        assertThat(report.checks()).filteredOn(CheckResult::required)
                .hasSize(7)
                .allSatisfy(c -> assertThat(c.outcome()).as(c.name() + ": " + c.detail()).isEqualTo(Outcome.PASS));
        assertThat(report.cleanupProblems()).isEmpty();
        assertThat(store.listAll(OPTIONS.scratchRoot() + "/")).isEmpty();
    }

    @Test
    void theFileSystemStoreIsSafeForSilt(@TempDir Path root) {
        try (FileSystemObjectStore store = new FileSystemObjectStore(root)) {
            ConformanceReport report = check(store);
            assertSafeAndClean(store, report);
            assertThat(report.check("If-Match race").orElseThrow().outcome()).isEqualTo(Outcome.NOT_SUPPORTED);
        }
    }

    @Test
    void s3ProxyIsSafeForSiltWhateverItsIfMatchDoes() {
        try (S3ObjectStore store = server.storeFor(server.newBucket(), "")) {
            ConformanceReport report = check(store);
            assertSafeAndClean(store, report);
            CheckResult ifMatch = report.check("If-Match race").orElseThrow();
            assertThat(ifMatch.required()).isFalse();
            assertThat(ifMatch.outcome()).isIn(Outcome.PASS, Outcome.FAIL); // information: S3Proxy is not atomic
            LOG.log(Level.INFO, "S3Proxy If-Match race: {0} {1}", ifMatch.outcome(), ifMatch.detail());
        }
    }

    @Test
    void s3ProxyUnderAPrefixIsSafeToo() {
        try (S3ObjectStore store = server.storeFor(server.newBucket(), "tenant/a")) {
            assertSafeAndClean(store, check(store));
        }
    }

    @Test
    void wrongCredentialsGiveAReportWithEveryCheckInError() {
        String bucket = server.newBucket();
        try (S3ObjectStore store = server.storeBuilder(bucket).credentials("test", "not-the-secret").build()) {
            ConformanceReport report = check(store);
            assertThat(report.safeForSilt()).isFalse();
            assertThat(report.checks()).hasSize(10).allSatisfy(c -> {
                assertThat(c.outcome()).isEqualTo(Outcome.ERROR);
                assertThat(c.detail()).startsWith("the store refused the first request: StoreAccessDeniedException");
            });
        }
    }
}
