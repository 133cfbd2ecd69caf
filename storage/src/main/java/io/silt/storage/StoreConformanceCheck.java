package io.silt.storage;

import io.silt.storage.ConformanceReport.CheckResult;
import io.silt.storage.ConformanceReport.Outcome;
import io.silt.storage.internal.Conformance;
import io.silt.storage.internal.ConformanceCheck;
import io.silt.storage.internal.ConformanceCompareAndSwap;
import io.silt.storage.internal.ConformanceCreateRace;
import io.silt.storage.internal.ConformanceListCheck;
import io.silt.storage.internal.ConformanceReadChecks;
import io.silt.storage.internal.ConformanceScratch;
import io.silt.storage.internal.ConformanceStore;
import io.silt.storage.internal.ConformanceWriteChecks;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * Checks that a store keeps the guarantees Silt relies on (behind {@code silt verify-store URI}).
 *
 * <p>It writes under a fresh scratch prefix ({@code silt-verify/<random id>/}), runs each check, deletes everything
 * it wrote (also when a check fails) and returns a {@link ConformanceReport}. Required checks: create-only write,
 * the create-only race, conditional GET, ranged GET, listing, deletes, read-after-write. Information only: listing
 * order of keys beyond U+FFFF (S3Proxy uses UTF-16 order there; Silt's keys are ASCII), and {@code If-Match}
 * compare-and-swap and its race, which Silt never relies on (S3Proxy lets several writers win).
 *
 * <p>Idempotent requests are retried (up to three tries) on transient errors, as Silt's retrying store would, and the
 * retries are named in the detail; the conditional writes under test are never retried.
 *
 * <p>It never throws for what the store does: a failing request makes its check {@link Outcome#ERROR}, and a store
 * that refuses the very first request (access denied, missing bucket) gives a report with every check in error.
 */
public final class StoreConformanceCheck {
    private static final Logger LOG = System.getLogger(StoreConformanceCheck.class.getName());

    /**
     * How to run the checks.
     *
     * @param threads writers in each race (default 16)
     * @param rounds rounds of each race (default 20)
     * @param scratchRoot the prefix under which a fresh {@code <root>/<random id>/} is used (default
     *     {@code silt-verify}); a bucket's lifecycle rule on it catches anything a killed run leaves behind
     * @param seed the seed of the scratch id, bodies and tokens; fix it to repeat a run
     * @param requestTimeout how long a racing writer may take before its answer counts as lost (default 60 s)
     */
    public record Options(int threads, int rounds, String scratchRoot, long seed, Duration requestTimeout) {
        public static final int DEFAULT_THREADS = 16;
        public static final int DEFAULT_ROUNDS = 20;
        public static final String DEFAULT_SCRATCH_ROOT = "silt-verify";
        public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(60);

        public Options {
            if (threads < 2) {
                throw new IllegalArgumentException("a race needs at least 2 threads, was " + threads);
            }
            if (rounds < 1) {
                throw new IllegalArgumentException("rounds must be >= 1, was " + rounds);
            }
            Objects.requireNonNull(scratchRoot, "scratchRoot");
            scratchRoot = scratchRoot.replaceAll("/+$", "");
            if (scratchRoot.isEmpty()) {
                throw new IllegalArgumentException("the scratch root must not be empty: the checks clean up after"
                        + " themselves under it");
            }
            ObjectKeys.validatePrefix(scratchRoot + "/");
            if (requestTimeout.isNegative() || requestTimeout.isZero()) {
                throw new IllegalArgumentException("requestTimeout must be positive, was " + requestTimeout);
            }
        }

        /** The defaults, with a random seed. */
        public static Options defaults() {
            return new Options(DEFAULT_THREADS, DEFAULT_ROUNDS, DEFAULT_SCRATCH_ROOT, new SecureRandom().nextLong(),
                    DEFAULT_REQUEST_TIMEOUT);
        }

        public Options withThreads(int n) {
            return new Options(n, rounds, scratchRoot, seed, requestTimeout);
        }

        public Options withRounds(int n) {
            return new Options(threads, n, scratchRoot, seed, requestTimeout);
        }

        public Options withScratchRoot(String root) {
            return new Options(threads, rounds, root, seed, requestTimeout);
        }

        public Options withSeed(long s) {
            return new Options(threads, rounds, scratchRoot, s, requestTimeout);
        }

        public Options withRequestTimeout(Duration timeout) {
            return new Options(threads, rounds, scratchRoot, seed, timeout);
        }
    }

    private final Options options;

    public StoreConformanceCheck() {
        this(Options.defaults());
    }

    public StoreConformanceCheck(Options options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    public Options options() {
        return options;
    }

    /** The checks, in the order they run: required ones first. */
    List<ConformanceCheck> checks() {
        int n = options.threads();
        int r = options.rounds();
        Duration timeout = options.requestTimeout();
        return List.of(
                ConformanceWriteChecks.createOnlyWrite(),
                ConformanceCreateRace.check(n, r, timeout),
                ConformanceReadChecks.conditionalGet(),
                ConformanceReadChecks.rangedGet(),
                ConformanceListCheck.listing(),
                ConformanceWriteChecks.deletes(),
                ConformanceWriteChecks.readAfterWrite(),
                ConformanceListCheck.orderBeyondBmp(),
                ConformanceCompareAndSwap.basic(),
                ConformanceCompareAndSwap.race(n, r, timeout));
    }

    /** Runs every check against {@code store} and cleans up; never throws for what the store does. */
    public ConformanceReport run(ObjectStore store) {
        long started = System.nanoTime();
        Random random = new Random(options.seed());
        String prefix = options.scratchRoot() + "/" + String.format("%016x", random.nextLong()) + "/";
        ConformanceScratch scratch = new ConformanceScratch(prefix, random);
        ConformanceStore checked = new ConformanceStore(store);
        String where = store.describe();
        LOG.log(Level.INFO, "checking store {0} under {1}", where, prefix);

        List<CheckResult> results = new ArrayList<>();
        List<String> cleanup = List.of();
        RuntimeException refused = probe(checked, scratch);
        if (refused != null) {
            String detail = "the store refused the first request: " + Conformance.describe(refused);
            LOG.log(Level.WARNING, "store {0}: {1}", where, detail);
            for (ConformanceCheck check : checks()) {
                results.add(result(check, Outcome.ERROR, detail, Duration.ZERO));
            }
        } else {
            try {
                for (ConformanceCheck check : checks()) {
                    results.add(runOne(check, checked, scratch));
                    if (Thread.currentThread().isInterrupted()) {
                        break;
                    }
                }
            } finally {
                cleanup = scratch.cleanUp(checked);
                cleanup.forEach(p -> LOG.log(Level.WARNING, "store {0}: cleanup: {1}", where, p));
            }
        }
        ConformanceReport report = new ConformanceReport(where, prefix, results, cleanup,
                Duration.ofNanos(System.nanoTime() - started));
        LOG.log(Level.INFO, "store {0}: {1}", where, report.verdict());
        return report;
    }

    /** A read of a missing key: an access-denied or configuration error here means nothing else can run. */
    private static RuntimeException probe(ObjectStore store, ConformanceScratch scratch) {
        try {
            store.head(scratch.missingKey("probe"));
            return null;
        } catch (StoreAccessDeniedException | StoreConfigurationException e) {
            return e;
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, "probe failed; running the checks anyway", e);
            return null;
        }
    }

    private static CheckResult runOne(ConformanceCheck check, ConformanceStore store, ConformanceScratch scratch) {
        long t0 = System.nanoTime();
        Outcome outcome;
        String detail;
        try {
            ConformanceCheck.Result r = check.body().run(store, scratch);
            outcome = r.outcome();
            detail = r.detail();
        } catch (ConformanceCheck.Failure f) {
            outcome = Outcome.FAIL;
            detail = f.getMessage();
        } catch (UnsupportedOperationException e) {
            outcome = check.required() ? Outcome.ERROR : Outcome.NOT_SUPPORTED;
            detail = "not supported: " + Conformance.describe(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcome = Outcome.ERROR;
            detail = "interrupted";
        } catch (Exception | AssertionError | StackOverflowError e) {
            outcome = Outcome.ERROR;
            detail = Conformance.describe(e);
            LOG.log(Level.DEBUG, "check " + check.name() + " failed with an exception", e);
        }
        int retried = store.takeRetries();
        if (retried > 0) {
            detail += " [" + retried + (retried == 1 ? " request" : " requests") + " retried after transient errors]";
        }
        CheckResult result = result(check, outcome, detail, Duration.ofNanos(System.nanoTime() - t0));
        LOG.log(outcome == Outcome.PASS || outcome == Outcome.NOT_SUPPORTED ? Level.INFO : Level.WARNING,
                "{0} {1}: {2}", outcome, check.name(), detail);
        return result;
    }

    private static CheckResult result(ConformanceCheck check, Outcome outcome, String detail, Duration took) {
        return new CheckResult(check.name(), check.description(), outcome, detail, check.required(), took);
    }
}
