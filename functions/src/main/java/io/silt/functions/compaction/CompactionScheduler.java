package io.silt.functions.compaction;

import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * The service's own compaction schedule ({@code silt serve}): a run every {@code silt.compaction.interval} (default
 * 5m; {@code off} disables it), the first one {@code silt.compaction.delay} (default 1m) after start, each bounded by
 * {@code silt.compaction.budget}. A run still going when the next is due makes the next one skip, both in this
 * process (the scheduler's {@code SKIP}) and across processes (the compactor lease: another service or the Lambda
 * compactor holding it makes the run report {@code BUSY}).
 *
 * <p>Not active in AWS Lambda, where the scheduled {@code compaction} function runs instead: runs are skipped when
 * the environment has {@code AWS_LAMBDA_FUNCTION_NAME}, and the {@code lambda} profile turns the schedule off.
 */
@ApplicationScoped
public class CompactionScheduler {
    private static final Logger LOG = Logger.getLogger(CompactionScheduler.class);
    /** The scheduler's name of the job. */
    public static final String JOB = "silt-compaction";

    private final CompactionService compaction;

    public CompactionScheduler(CompactionService compaction) {
        this.compaction = compaction;
    }

    /** One scheduled run; a failure (already logged and counted by the service) waits for the next run. */
    @Scheduled(identity = JOB, every = "${silt.compaction.interval:5m}", delayed = "${silt.compaction.delay:1m}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = InLambda.class)
    void run() {
        try {
            compaction.runService("schedule");
        } catch (RuntimeException e) {
            LOG.debug("scheduled compaction failed; the next run tries again", e);
        }
    }

    /** Skips the schedule inside AWS Lambda, where the scheduled function does the work. */
    @Singleton
    public static class InLambda implements Scheduled.SkipPredicate {
        private final boolean inLambda;

        public InLambda() {
            this(System.getenv("AWS_LAMBDA_FUNCTION_NAME"));
        }

        InLambda(String functionName) {
            this.inLambda = functionName != null && !functionName.isBlank();
        }

        @Override
        public boolean test(ScheduledExecution execution) {
            return inLambda;
        }
    }
}
