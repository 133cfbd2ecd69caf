package io.silt.functions.compaction;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.silt.client.InvalidRequestException;
import io.silt.functions.observe.LagMetricLog;
import io.silt.storage.log.BucketCompactionReport;
import io.silt.storage.log.CompactionRunPolicy;
import jakarta.inject.Named;
import java.time.Duration;
import java.util.Map;

/**
 * Bucket compaction as a scheduled Lambda function ({@code QUARKUS_LAMBDA_HANDLER=compaction}, invoked by an
 * EventBridge schedule). The event is ignored except for an optional {@code "budgetSeconds"} at its top level (an
 * EventBridge rule's constant input), which lowers the budget further. Answers the report as
 * {@link CompactionReports#toMap a map}: status, counts, requests by kind, summary; and logs the summary.
 *
 * <p><b>Budget.</b> The invocation's remaining time ({@link Context#getRemainingTimeInMillis()}) minus a safety
 * minute, capped by {@code silt.compaction.budget} (10m under the {@code lambda} profile), rounded down to 10 s. Set
 * the function's timeout to 15 minutes. A remaining time that is not positive or above Lambda's 15-minute maximum
 * means no real deadline was given (a local runtime or the test event server): the cap applies alone. Less than
 * {@value #MIN_BUDGET_SECONDS} s of budget fails the invocation: the timeout is too short for compaction.
 *
 * <p><b>Taking over a crashed compactor's lease.</b> Another compactor's lease is judged expired only after this
 * process has watched the same lease record for the lease duration plus the safety margin on its own monotonic
 * clock (RFC 0008). A warm instance keeps its compactor across invocations (in {@link CompactionService}), so it has
 * been watching since its previous invocation; a cold one has watched nothing, and with the storage default (lease
 * wait 0) it would report {@code BUSY} at every cold start, for as long as a crashed holder's record is the newest:
 * with instances recycled often, forever. So this handler waits for the lease: {@code leaseWait} = lease duration +
 * margin + 5 s (2 min 25 s by default), whenever the budget leaves at least a minute of work after such a wait.
 * The trade-off: a run that starts while another compactor is alive and working does not skip at once; it waits
 * until it sees that holder renew (at most half the lease duration plus one poll, about 90 s, billed Lambda time)
 * and then reports {@code BUSY}; while a holder that crashed is waited out, the wait counts against the budget.
 *
 * <p><b>Consumer lag.</b> After each run the handler measures every group's lag and prints it as CloudWatch metric
 * lines ({@link LagMetricLog}): the deployment's lag alarm watches them.
 */
@Named("compaction")
public class CompactionHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    /** The slot of the function's compactor in {@link CompactionService}. */
    static final String SLOT = "lambda";
    /** Kept free at the end of an invocation: finishing the last partition, releasing the lease, answering. */
    static final Duration RESERVE = Duration.ofMinutes(1);
    /** Lambda's longest timeout: a larger remaining time is no real deadline. */
    static final Duration LAMBDA_MAX = Duration.ofMinutes(15);
    /** Budgets are rounded down to this, so a warm instance's policy, and so its compactor, stays the same. */
    static final Duration GRANULARITY = Duration.ofSeconds(10);
    /** Waiting for a lease a little longer than it takes to expire, so the last poll comes after the expiry. */
    static final Duration WAIT_SLACK = Duration.ofSeconds(5);
    /** A wait for the lease is worth it only if this much of the budget is left after it. */
    static final Duration MIN_WORK = Duration.ofMinutes(1);
    static final int MIN_BUDGET_SECONDS = 10;

    private final CompactionService compaction;
    private final LagMetricLog lagMetrics;

    public CompactionHandler(CompactionService compaction, LagMetricLog lagMetrics) {
        this.compaction = compaction;
        this.lagMetrics = lagMetrics;
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        Duration budget = budget(remaining(context), compaction.budget(), override(event));
        CompactionRunPolicy policy = policy(compaction.servicePolicy().withBudget(budget));
        String owner = owner(context);
        BucketCompactionReport report = compaction.run(compaction.compactor(SLOT, owner, policy), "lambda");
        lagMetrics.publish(context == null || context.getFunctionName() == null ? "local" : context.getFunctionName());
        return CompactionReports.toMap(report); // the service logged the summary
    }

    /**
     * The budget of a run: {@code remaining} minus {@link #RESERVE}, capped by {@code cap} and {@code override},
     * rounded down to {@link #GRANULARITY}. {@code remaining} null means no deadline is known.
     *
     * @throws IllegalStateException if less than {@value #MIN_BUDGET_SECONDS} s would be left
     */
    static Duration budget(Duration remaining, Duration cap, Duration override) {
        Duration b = cap;
        if (remaining != null && remaining.minus(RESERVE).compareTo(b) < 0) {
            b = remaining.minus(RESERVE);
        }
        if (override != null && override.compareTo(b) < 0) {
            b = override;
        }
        long steps = b.toMillis() / GRANULARITY.toMillis();
        Duration rounded = GRANULARITY.multipliedBy(Math.max(0, steps));
        if (rounded.toSeconds() < MIN_BUDGET_SECONDS) {
            throw new IllegalStateException("no time for compaction: " + (remaining == null ? "" : remaining.toMillis()
                    + " ms left in the invocation, ") + "budget " + b.toMillis() + " ms; give the function a timeout "
                    + "of 15 minutes");
        }
        return rounded;
    }

    /**
     * The policy with the lease wait this function needs: the lease duration + margin + {@link #WAIT_SLACK}, if the
     * budget leaves {@link #MIN_WORK} after it; else none (a cold instance then skips while a record is the newest).
     */
    static CompactionRunPolicy policy(CompactionRunPolicy base) {
        Duration wait = base.leaseDuration().plus(base.safetyMargin()).plus(WAIT_SLACK);
        boolean room = base.budget().minus(wait).compareTo(MIN_WORK) >= 0;
        return base.withLeaseWait(room ? wait : Duration.ZERO);
    }

    /** The invocation's remaining time, or null if it names no real deadline. */
    static Duration remaining(Context context) {
        if (context == null) {
            return null;
        }
        long ms = context.getRemainingTimeInMillis();
        return ms <= 0 || ms > LAMBDA_MAX.toMillis() ? null : Duration.ofMillis(ms);
    }

    /** The event's {@code budgetSeconds}, if any. */
    static Duration override(Map<String, Object> event) {
        Object v = event == null ? null : event.get("budgetSeconds");
        if (v == null) {
            return null;
        }
        if (!(v instanceof Number n) || n.doubleValue() <= 0) {
            throw new InvalidRequestException("budgetSeconds must be a positive number, not " + v);
        }
        return Duration.ofMillis(Math.round(n.doubleValue() * 1000));
    }

    /** The execution environment (its log stream) of this function, so warm invocations keep one owner id. */
    private String owner(Context context) {
        String function = context == null || context.getFunctionName() == null ? "lambda" : context.getFunctionName();
        String stream = context == null ? null : context.getLogStreamName();
        return function + "@" + (stream == null || stream.isBlank() ? compaction.processOwner() : stream);
    }
}
