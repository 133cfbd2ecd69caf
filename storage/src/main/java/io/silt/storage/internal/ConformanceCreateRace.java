package io.silt.storage.internal;

import static io.silt.storage.internal.ConformanceScratch.utf8;

import io.silt.storage.CreateResult;
import io.silt.storage.ObjectData;
import io.silt.storage.ObjectStore;
import io.silt.storage.StoreUnavailableException;
import io.silt.storage.internal.ConformanceCheck.Result;
import io.silt.storage.internal.ConformanceRace.Attempt;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The create-only race, the guarantee Silt's order rests on: {@code threads} writers race {@code putIfAbsent} on one
 * key per round; exactly one gets Created and the stored bytes are its.
 *
 * <p>Unknown outcomes are judged as Silt resolves them, by reading the key back: the round passes only if the stored
 * bytes are exactly one writer's, that writer answered Created or Unknown, and no other writer answered Created. A
 * writer that answered Unknown and whose bytes are not stored provably lost (a late landing would be an overwrite,
 * which the re-read after the race would catch); it is counted in the detail. A writer refused with
 * {@link StoreUnavailableException} (throttled, 409) certainly did not write and counts as a loser.
 */
public final class ConformanceCreateRace {
    private final int threads;
    private final int rounds;
    private final Duration timeout;

    private ConformanceCreateRace(int threads, int rounds, Duration timeout) {
        this.threads = threads;
        this.rounds = rounds;
        this.timeout = timeout;
    }

    public static ConformanceCheck check(int threads, int rounds, Duration timeout) {
        ConformanceCreateRace race = new ConformanceCreateRace(threads, rounds, timeout);
        return new ConformanceCheck("create-only race (" + threads + " writers x " + rounds + " rounds)",
                "writers racing putIfAbsent on one key: exactly one Created each round, and the stored bytes are its",
                true, race::run);
    }

    /** What one round came to; {@code winnerBytes} is null unless the round passed. */
    private record Round(int index, String key, byte[] winnerBytes, boolean winnerUnknown, int unknownLosers, int refused,
            String problem, String error, boolean timedOut) {}

    private Result run(ObjectStore store, ConformanceScratch scratch) throws InterruptedException {
        List<String> problems = new ArrayList<>();
        List<Round> passed = new ArrayList<>();
        String firstError = null;
        int maxWinners = 0;
        try (ConformanceRace race = new ConformanceRace(threads, timeout)) {
            for (int r = 0; r < rounds; r++) {
                Round round = round(store, scratch, race, r);
                if (round.problem() != null) {
                    problems.add("round " + r + ": " + round.problem());
                    maxWinners = Math.max(maxWinners, winnersIn(round.problem()));
                } else if (round.error() != null && firstError == null) {
                    firstError = "round " + r + ": " + round.error();
                }
                if (round.winnerBytes() != null) {
                    passed.add(round);
                }
                if (round.timedOut()) {
                    firstError = "round " + r + ": " + round.error() + "; the race stopped there";
                    break;
                }
            }
        }
        for (Round round : passed) { // a write that answered late must not have landed over the winner
            byte[] now = store.get(round.key()).map(ObjectData::bytes).orElse(null);
            if (!Arrays.equals(now, round.winnerBytes())) {
                problems.add("round " + round.index() + ": the winner's bytes were replaced after the race");
            }
        }
        if (!problems.isEmpty()) {
            String most = maxWinners > 1 ? " (up to " + maxWinners + " winners in a round)" : "";
            return Result.fail(Conformance.summariseRounds(problems, rounds) + most);
        }
        if (firstError != null) {
            return Result.error(firstError);
        }
        return Result.pass("exactly one winner each round" + notes(passed));
    }

    private static String notes(List<Round> rounds) {
        long unknownWinners = rounds.stream().filter(Round::winnerUnknown).count();
        int unknownLosers = rounds.stream().mapToInt(Round::unknownLosers).sum();
        int refused = rounds.stream().mapToInt(Round::refused).sum();
        List<String> notes = new ArrayList<>();
        if (unknownWinners > 0) {
            notes.add(unknownWinners + " winners answered Unknown and were confirmed by read-back");
        }
        if (unknownLosers > 0) {
            notes.add(unknownLosers + " losers answered Unknown and read-back proved they lost");
        }
        if (refused > 0) {
            notes.add(refused + " losers were refused (throttled or 409) instead of AlreadyExists");
        }
        return notes.isEmpty() ? "" : " (" + String.join("; ", notes) + ")";
    }

    private static int winnersIn(String problem) {
        return problem.matches("^\\d+ writers won.*") ? Integer.parseInt(problem.substring(0, problem.indexOf(' '))) : 0;
    }

    private Round round(ObjectStore store, ConformanceScratch scratch, ConformanceRace race, int r)
            throws InterruptedException {
        String key = scratch.key(String.format("create-race/%020d", r));
        byte[][] bodies = new byte[threads][];
        String token = scratch.token();
        for (int t = 0; t < threads; t++) {
            // Unique bodies of different sizes, so that a torn or mixed write cannot pass for someone's.
            bodies[t] = utf8("round " + r + " writer " + t + " token " + token + " " + "x".repeat(t * 997));
        }
        Map<String, String> meta = Map.of("silt-verify", "create-race");
        List<Attempt<CreateResult>> attempts = race.round(t -> store.putIfAbsent(key, bodies[t], meta));

        List<Integer> created = new ArrayList<>();
        List<Integer> unknown = new ArrayList<>();
        int refused = 0;
        String error = null;
        for (int t = 0; t < threads; t++) {
            Attempt<CreateResult> a = attempts.get(t);
            if (a.failed()) {
                if (a.error() instanceof StoreUnavailableException) {
                    refused++;
                } else if (error == null) {
                    error = "writer " + t + " failed: " + Conformance.describe(a.error());
                }
            } else if (a.value() instanceof CreateResult.Created) {
                created.add(t);
            } else if (a.value() instanceof CreateResult.Unknown) {
                unknown.add(t);
            }
        }
        Optional<ObjectData> stored = store.get(key);
        int owner = -1;
        for (int t = 0; t < threads && stored.isPresent() && owner < 0; t++) {
            owner = Arrays.equals(stored.get().bytes(), bodies[t]) ? t : -1;
        }
        String problem = judge(created, unknown, stored.isPresent(), owner, attempts, error != null);
        boolean ok = problem == null && owner >= 0;
        int o = owner;
        int unknownLosers = ok ? (int) unknown.stream().filter(u -> u != o).count() : 0;
        return new Round(r, key, ok ? bodies[owner] : null, ok && unknown.contains(owner), unknownLosers, refused,
                problem, error, ConformanceRace.timedOut(attempts));
    }

    /** Why the round failed, or null if it did not. */
    private static String judge(List<Integer> created, List<Integer> unknown, boolean stored, int owner,
            List<Attempt<CreateResult>> attempts, boolean errors) {
        if (created.size() > 1) {
            return Conformance.writers(created.size()) + " won " + Conformance.ids(created)
                    + (owner >= 0 ? ", stored bytes are writer " + owner + "'s" : "");
        }
        String winner = created.isEmpty() ? null : "writer " + created.get(0) + " won";
        if (!stored) {
            if (winner == null && unknown.isEmpty() && errors) {
                return null; // not judged: the requests failed; reported as an error
            }
            return (winner == null ? "no writer won" : winner) + " but no object is stored" + unknownNote(unknown,
                    attempts);
        }
        if (owner < 0) {
            return (winner == null ? "no writer won" : winner) + " but the stored bytes are nobody's";
        }
        if (winner != null && created.get(0) != owner) {
            return winner + " but the stored bytes are writer " + owner + "'s"
                    + (unknown.contains(owner) ? ", whose outcome was Unknown" : "");
        }
        if (winner == null && !unknown.contains(owner)) {
            return "no writer won or answered Unknown, but writer " + owner + "'s bytes are stored";
        }
        return null;
    }

    private static String unknownNote(List<Integer> unknown, List<Attempt<CreateResult>> attempts) {
        if (unknown.isEmpty()) {
            return "";
        }
        CreateResult.Unknown u = (CreateResult.Unknown) attempts.get(unknown.get(0)).value();
        return "; " + Conformance.outcomes(unknown.size()) + " Unknown " + Conformance.ids(unknown) + " (first: "
                + Conformance.describe(u.cause()) + ")";
    }
}
