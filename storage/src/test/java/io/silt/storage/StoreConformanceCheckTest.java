package io.silt.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.silt.storage.ConformanceReport.CheckResult;
import io.silt.storage.ConformanceReport.Outcome;
import io.silt.storage.StoreConformanceCheck.Options;
import io.silt.storage.StoreConformanceCheckTestStores.AccessDenied;
import io.silt.storage.StoreConformanceCheckTestStores.CheckThenWriteIfMatch;
import io.silt.storage.StoreConformanceCheckTestStores.DropsTheFirstConnection;
import io.silt.storage.StoreConformanceCheckTestStores.Forwarding;
import io.silt.storage.StoreConformanceCheckTestStores.HangsInTheSecondRound;
import io.silt.storage.StoreConformanceCheckTestStores.ListingBroken;
import io.silt.storage.StoreConformanceCheckTestStores.LoserAnswersUnknown;
import io.silt.storage.StoreConformanceCheckTestStores.NeverNotModified;
import io.silt.storage.StoreConformanceCheckTestStores.OverwritingCreate;
import io.silt.storage.StoreConformanceCheckTestStores.RangeIgnoring;
import io.silt.storage.StoreConformanceCheckTestStores.StartAfterIgnoring;
import io.silt.storage.StoreConformanceCheckTestStores.TwoWinnersSometimes;
import io.silt.storage.StoreConformanceCheckTestStores.UnknownOverwrites;
import io.silt.storage.StoreConformanceCheckTestStores.Utf16Listing;
import io.silt.storage.StoreConformanceCheckTestStores.WinnerAnswersUnknown;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class StoreConformanceCheckTest {
    private static final Options OPTIONS = Options.defaults().withSeed(42);
    /** Fewer rounds for the broken stores: they fail fast and the point is which check names the failure. */
    private static final Options QUICK = OPTIONS.withRounds(6);

    private static ConformanceReport run(ObjectStore store, Options options) {
        return new StoreConformanceCheck(options).run(store);
    }

    private static CheckResult check(ConformanceReport report, String name) {
        return report.check(name).orElseThrow(() -> new AssertionError("no check named " + name + " in\n"
                + report.toText()));
    }

    private static void assertOnlyFailure(ConformanceReport report, String failing) {
        for (CheckResult c : report.checks()) {
            if (c.required() && !c.name().startsWith(failing)) {
                assertThat(c.outcome()).as(c.name() + ": " + c.detail()).isEqualTo(Outcome.PASS);
            }
        }
        assertThat(report.safeForSilt()).isFalse();
        assertThat(report.failedRequired()).extracting(CheckResult::name).singleElement()
                .asString().startsWith(failing);
        assertThat(report.toText()).contains("FAIL  " + failing)
                .containsPattern("VERDICT: NOT safe for Silt: 1 of 7 required checks did not pass: " + failing);
    }

    @Test
    void inMemoryStorePassesEveryCheckAndLeavesNothingBehind() {
        InMemoryObjectStore store = new InMemoryObjectStore();
        store.put("unrelated/object", new byte[] {1});

        ConformanceReport report = run(store, OPTIONS);

        assertThat(report.checks()).allSatisfy(c ->
                assertThat(c.outcome()).as(c.name() + ": " + c.detail()).isEqualTo(Outcome.PASS));
        assertThat(report.checks()).filteredOn(CheckResult::required).hasSize(7);
        assertThat(report.checks()).filteredOn(c -> !c.required()).hasSize(3);
        assertThat(report.safeForSilt()).isTrue();
        assertThat(report.cleanupProblems()).isEmpty();
        assertThat(report.scratchPrefix()).startsWith("silt-verify/").endsWith("/");
        assertThat(store.listAll("silt-verify/")).isEmpty();
        assertThat(store.listAll("")).extracting(ObjectInfo::key).containsExactly("unrelated/object");

        String text = report.toText();
        assertThat(text).contains("PASS  create-only race (16 writers x 20 rounds): exactly one winner each round"
                + "   [required]");
        assertThat(text).contains("PASS  If-Match race (16 writers x 20 rounds): atomic here");
        assertThat(text.lines().count()).isEqualTo(1 + 10 + 1);
        assertThat(text.lines().reduce((a, b) -> b).orElseThrow())
                .startsWith("VERDICT: safe for Silt: all 7 required checks passed");
        assertThat(report.checks()).allSatisfy(c -> {
            assertThat(c.description()).isNotBlank().doesNotContain("\n");
            assertThat(c.detail()).doesNotContain("\n");
            assertThat(c.duration().isNegative()).isFalse();
        });
    }

    @Test
    void theScratchIdComesFromTheSeedAndTheRootFromTheOptions() {
        String a = run(new InMemoryObjectStore(), QUICK.withSeed(7)).scratchPrefix();
        String b = run(new InMemoryObjectStore(), QUICK.withSeed(7)).scratchPrefix();
        String c = run(new InMemoryObjectStore(), QUICK.withSeed(8)).scratchPrefix();
        assertThat(a).isEqualTo(b).isNotEqualTo(c).matches("silt-verify/[0-9a-f]{16}/");

        InMemoryObjectStore store = new InMemoryObjectStore();
        ConformanceReport report = run(store, QUICK.withScratchRoot("ops/checks/"));
        assertThat(report.scratchPrefix()).matches("ops/checks/[0-9a-f]{16}/");
        assertThat(report.safeForSilt()).isTrue();
        assertThat(store.size()).isZero();
    }

    @Test
    void optionsAreValidated() {
        assertThatThrownBy(() -> OPTIONS.withThreads(1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OPTIONS.withRounds(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OPTIONS.withScratchRoot("/")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OPTIONS.withScratchRoot("a//b")).isInstanceOf(InvalidKeyException.class);
        assertThatThrownBy(() -> OPTIONS.withRequestTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(Options.defaults().threads()).isEqualTo(16);
        assertThat(Options.defaults().rounds()).isEqualTo(20);
    }

    @Test
    void aStoreThatIgnoresIfNoneMatchFailsBothCreateOnlyChecks() {
        OverwritingCreate store = new OverwritingCreate();
        ConformanceReport report = run(store, QUICK);

        CheckResult write = check(report, "create-only write");
        assertThat(write.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(write.detail()).contains("answered Created and overwrote it");
        CheckResult race = check(report, "create-only race");
        assertThat(race.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(race.detail()).startsWith("6 of 6 rounds failed: round 0: 16 writers won [0, 1, 2, 3, ...]");
        assertThat(report.safeForSilt()).isFalse();
        assertThat(report.toText()).contains("FAIL  create-only write: ").contains("FAIL  create-only race (16 writers");
        assertThat(store.inner.size()).isZero();
    }

    @Test
    void aStoreThatSometimesLetsTwoWritersWinFailsTheRace() {
        TwoWinnersSometimes store = new TwoWinnersSometimes();
        ConformanceReport report = run(store, QUICK);

        CheckResult race = check(report, "create-only race");
        assertThat(race.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(race.detail()).startsWith("2 of 6 rounds failed: round 2: 2 writers won [")
                .contains("round 5: 2 writers won").endsWith("(up to 2 winners in a round)");
        assertOnlyFailure(report, "create-only race");
        assertThat(store.inner.size()).isZero();
    }

    @Test
    void aNonAtomicIfMatchIsReportedAsInformationAndTheStoreStaysSafe() {
        CheckThenWriteIfMatch store = new CheckThenWriteIfMatch();
        ConformanceReport report = run(store, OPTIONS);

        assertThat(check(report, "If-Match compare-and-swap").outcome()).isEqualTo(Outcome.PASS);
        CheckResult race = check(report, "If-Match race");
        assertThat(race.required()).isFalse();
        assertThat(race.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(race.detail()).startsWith("not atomic: up to ").contains("Silt does not rely on If-Match");
        assertThat(report.safeForSilt()).isTrue();
        assertThat(report.toText()).contains("FAIL  If-Match race (16 writers x 20 rounds): not atomic: up to ")
                .contains("[information only]").contains("VERDICT: safe for Silt");
        assertThat(store.inner.size()).isZero();
    }

    @Test
    void aStoreWithoutIfMatchHasTheOptionalChecksNotSupported() {
        ConformanceReport report = run(new Forwarding() {}, QUICK);
        assertThat(check(report, "If-Match compare-and-swap").outcome()).isEqualTo(Outcome.NOT_SUPPORTED);
        assertThat(check(report, "If-Match race").outcome()).isEqualTo(Outcome.NOT_SUPPORTED);
        assertThat(report.safeForSilt()).isTrue();
        assertThat(report.toText()).contains("N/A   If-Match race");
    }

    @Test
    void aStoreThatIgnoresRangesFailsTheRangedGet() {
        RangeIgnoring store = new RangeIgnoring();
        ConformanceReport report = run(store, QUICK);
        CheckResult ranged = check(report, "ranged GET");
        assertThat(ranged.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(ranged.detail()).startsWith("range bytes=2-4 returned 62 bytes").contains("expected '234'");
        assertOnlyFailure(report, "ranged GET");
        assertThat(store.inner.size()).isZero();
    }

    @Test
    void aStoreThatNeverAnswersNotModifiedFailsTheConditionalGet() {
        NeverNotModified store = new NeverNotModified();
        ConformanceReport report = run(store, QUICK);
        CheckResult conditional = check(report, "conditional GET");
        assertThat(conditional.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(conditional.detail())
                .isEqualTo("getIfChanged with the current ETag answered Modified instead of NotModified");
        assertOnlyFailure(report, "conditional GET");
        assertThat(store.inner.size()).isZero();
    }

    @Test
    void aStoreThatIgnoresStartAfterFailsTheListingAndIsStillCleanedUp() {
        StartAfterIgnoring store = new StartAfterIgnoring();
        ConformanceReport report = run(store, QUICK);
        CheckResult listing = check(report, "listing");
        assertThat(listing.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(listing.detail()).isEqualTo("page 2 after list/pg/006 started at list/pg/000: startAfter was ignored");
        assertOnlyFailure(report, "listing");
        assertThat(store.inner.size()).isZero();
    }

    @Test
    void aCheckThatThrowsIsAnErrorAndTheOthersStillRun() {
        ListingBroken store = new ListingBroken();
        ConformanceReport report = run(store, QUICK);
        CheckResult listing = check(report, "listing");
        assertThat(listing.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(listing.detail()).isEqualTo("StoreUnavailableException: ListObjectsV2 answered 500 InternalError"
                + " [2 requests retried after transient errors]");
        assertThat(check(report, "create-only race").outcome()).isEqualTo(Outcome.PASS);
        assertThat(check(report, "ranged GET").outcome()).isEqualTo(Outcome.PASS);
        assertThat(check(report, "read-after-write").outcome()).isEqualTo(Outcome.PASS);
        assertThat(report.safeForSilt()).isFalse();
        assertThat(report.toText()).contains("ERROR listing: StoreUnavailableException")
                .contains("WARN  cleanup: could not list");
        assertThat(store.inner.size()).as("tracked keys are deleted even without a listing").isZero();
    }

    @Test
    void anUnknownWinnerConfirmedByReadBackPasses() {
        ConformanceReport report = run(new WinnerAnswersUnknown(), QUICK);
        CheckResult race = check(report, "create-only race");
        assertThat(race.outcome()).as(race.detail()).isEqualTo(Outcome.PASS);
        assertThat(race.detail()).isEqualTo(
                "exactly one winner each round (6 winners answered Unknown and were confirmed by read-back)");
        assertThat(report.safeForSilt()).isTrue();
    }

    @Test
    void anUnknownLoserProvedLostByReadBackPasses() {
        ConformanceReport report = run(new LoserAnswersUnknown(), QUICK);
        CheckResult race = check(report, "create-only race");
        assertThat(race.outcome()).as(race.detail()).isEqualTo(Outcome.PASS);
        assertThat(race.detail()).isEqualTo(
                "exactly one winner each round (6 losers answered Unknown and read-back proved they lost)");
        assertThat(report.safeForSilt()).isTrue();
    }

    @Test
    void anUnknownWriterWhoseBytesReplacedTheWinnersFailsTheRound() {
        UnknownOverwrites store = new UnknownOverwrites();
        ConformanceReport report = run(store, QUICK);
        CheckResult race = check(report, "create-only race");
        assertThat(race.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(race.detail()).startsWith("6 of 6 rounds failed: round 0: writer ")
                .containsPattern("round 0: writer \\d+ won but the stored bytes are writer \\d+'s, whose outcome was"
                        + " Unknown;");
        assertOnlyFailure(report, "create-only race");
        assertThat(store.inner.size()).isZero();
    }

    @Test
    void transientErrorsOnIdempotentRequestsAreRetriedAndNamed() {
        ConformanceReport report = run(new DropsTheFirstConnection(), QUICK);
        assertThat(report.safeForSilt()).as(report.toText()).isTrue();
        assertThat(check(report, "create-only write").detail()).endsWith("[1 request retried after transient errors]");
        assertThat(check(report, "listing").detail()).endsWith("[1 request retried after transient errors]");
        assertThat(check(report, "ranged GET").detail()).doesNotContain("retried");
    }

    @Test
    void utf16ListingOrderBeyondTheBmpIsInformationOnly() {
        Utf16Listing store = new Utf16Listing();
        ConformanceReport report = run(store, QUICK);
        CheckResult order = check(report, "listing order beyond U+FFFF");
        assertThat(order.required()).isFalse();
        assertThat(order.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(order.detail()).isEqualTo(
                "lists in UTF-16 order (U+1F600 before U+FF21), not S3's UTF-8 byte order");
        assertThat(check(report, "listing").outcome()).isEqualTo(Outcome.PASS);
        assertThat(report.safeForSilt()).isTrue();
        assertThat(store.inner.size()).isZero();
    }

    @Test
    void aWriterThatNeverAnswersStopsTheRaceWithAnError() {
        HangsInTheSecondRound store = new HangsInTheSecondRound();
        long t0 = System.nanoTime();
        ConformanceReport report = run(store, QUICK.withRequestTimeout(Duration.ofMillis(1500)));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(20));
        CheckResult race = check(report, "create-only race");
        assertThat(race.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(race.detail()).matches("round 1: writer \\d+ failed: TimeoutException: no answer within 1.5 s;"
                + " the race stopped there");
        assertThat(check(report, "listing").outcome()).isEqualTo(Outcome.PASS);
        assertThat(store.inner.size()).isZero();
    }

    @Test
    void aStoreThatDeniesAccessGivesAReportWithEveryCheckInError() {
        ConformanceReport report = run(new AccessDenied(), OPTIONS);
        assertThat(report.checks()).hasSize(10).allSatisfy(c -> {
            assertThat(c.outcome()).isEqualTo(Outcome.ERROR);
            assertThat(c.detail()).isEqualTo("the store refused the first request: StoreAccessDeniedException:"
                    + " s3://bucket: Access Denied (403): check the credentials");
        });
        assertThat(report.safeForSilt()).isFalse();
        assertThat(report.toText()).contains("ERROR create-only write: the store refused the first request")
                .contains("VERDICT: NOT safe for Silt: 7 of 7 required checks did not pass");
    }

    @Test
    void aStoreWithoutABucketGivesAReportToo() {
        ObjectStore missingBucket = new Forwarding() {
            @Override
            public java.util.Optional<ObjectInfo> head(String key) {
                throw new StoreConfigurationException("bucket 'nope' does not exist");
            }
        };
        ConformanceReport report = run(missingBucket, QUICK);
        assertThat(report.checks()).extracting(CheckResult::outcome).containsOnly(Outcome.ERROR);
        assertThat(report.checks()).extracting(CheckResult::detail)
                .allMatch(d -> d.endsWith("StoreConfigurationException: bucket 'nope' does not exist"));
        assertThat(report.safeForSilt()).isFalse();
    }

    @Test
    void anEmptyReportIsNotSafe() {
        ConformanceReport empty = new ConformanceReport("mem:", "silt-verify/x/", List.of(), List.of(), Duration.ZERO);
        assertThat(empty.safeForSilt()).isFalse();
    }
}
