package io.silt.storage;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link StoreConformanceCheck} found out about a store: one {@link CheckResult} per check, in the order they ran.
 *
 * @param store the store's {@link ObjectStore#describe() description}
 * @param scratchPrefix the prefix the checks wrote under (and cleaned up), e.g. {@code silt-verify/3f2a9c0d1e4b5a67/}
 * @param checks the results, required checks first
 * @param cleanupProblems what could not be cleaned up afterwards (empty when the scratch prefix was left empty)
 * @param duration how long the whole run took, cleanup included
 */
public record ConformanceReport(
        String store, String scratchPrefix, List<CheckResult> checks, List<String> cleanupProblems, Duration duration) {

    /** How one check came out. */
    public enum Outcome {
        /** The store keeps the guarantee. */
        PASS("PASS"),
        /** The store answered, and the answer breaks the guarantee; the detail says how. */
        FAIL("FAIL"),
        /** The store does not offer the capability (e.g. no {@code If-Match}); only for optional checks. */
        NOT_SUPPORTED("N/A"),
        /** The check could not be judged: a request failed (access denied, timeout, ...); the detail says which. */
        ERROR("ERROR");

        private final String label;

        Outcome(String label) {
            this.label = label;
        }

        /** The short label used in {@link #toText()}. */
        public String label() {
            return label;
        }
    }

    /**
     * One check's result.
     *
     * @param name the check's name, e.g. {@code create-only race (16 writers x 20 rounds)}
     * @param description the guarantee it checks, in one line
     * @param outcome pass, fail, not supported or error
     * @param detail what was seen, e.g. {@code round 7: 3 writers won}; one line
     * @param required whether Silt relies on the guarantee (a failed required check makes the store unsafe)
     * @param duration how long the check took
     */
    public record CheckResult(
            String name, String description, Outcome outcome, String detail, boolean required, Duration duration) {
        public CheckResult {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(description, "description");
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(detail, "detail");
            Objects.requireNonNull(duration, "duration");
        }

        public boolean passed() {
            return outcome == Outcome.PASS;
        }
    }

    public ConformanceReport {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(scratchPrefix, "scratchPrefix");
        checks = List.copyOf(checks);
        cleanupProblems = List.copyOf(cleanupProblems);
        Objects.requireNonNull(duration, "duration");
    }

    /** True only if every required check passed: Silt can run on this store. Optional checks do not count. */
    public boolean safeForSilt() {
        return !checks.isEmpty() && checks.stream().filter(CheckResult::required).allMatch(CheckResult::passed);
    }

    /** The required checks that did not pass (failed, or could not be judged). */
    public List<CheckResult> failedRequired() {
        return checks.stream().filter(c -> c.required() && !c.passed()).toList();
    }

    /** The first check whose name starts with {@code namePrefix}, e.g. {@code check("create-only race")}. */
    public Optional<CheckResult> check(String namePrefix) {
        return checks.stream().filter(c -> c.name().startsWith(namePrefix)).findFirst();
    }

    /**
     * A plain-text rendering for the command line: a header, one line per check
     * ({@code PASS  create-only race (16 writers x 20 rounds): exactly one winner each round   [required]  812 ms}),
     * cleanup problems if any, and a final verdict line.
     */
    public String toText() {
        StringBuilder sb = new StringBuilder();
        sb.append("Store conformance check of ").append(store)
                .append(" (scratch prefix ").append(scratchPrefix).append(")\n");
        for (CheckResult c : checks) {
            sb.append(String.format("%-5s %s: %s   [%s]  %s%n", c.outcome().label(), c.name(), c.detail(),
                    c.required() ? "required" : "information only", millis(c.duration())));
        }
        for (String problem : cleanupProblems) {
            sb.append("WARN  cleanup: ").append(problem).append('\n');
        }
        sb.append(verdict()).append('\n');
        return sb.toString();
    }

    /** The final verdict line of {@link #toText()}. */
    public String verdict() {
        long required = checks.stream().filter(CheckResult::required).count();
        if (safeForSilt()) {
            return "VERDICT: safe for Silt: all " + required + " required checks passed (" + millis(duration) + ")";
        }
        List<String> names = failedRequired().stream().map(c -> c.name() + " (" + c.outcome() + ")").toList();
        return "VERDICT: NOT safe for Silt: " + names.size() + " of " + required + " required checks did not pass: "
                + String.join(", ", names);
    }

    private static String millis(Duration d) {
        return d.toMillis() + " ms";
    }
}
