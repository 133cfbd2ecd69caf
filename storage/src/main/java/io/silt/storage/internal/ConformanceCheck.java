package io.silt.storage.internal;

import io.silt.storage.ConformanceReport.Outcome;
import io.silt.storage.ObjectStore;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * One check of {@link io.silt.storage.StoreConformanceCheck}: a name, the guarantee it checks, whether Silt requires
 * it, and the code that runs it against a scratch prefix.
 *
 * <p>A body returns a {@link Result}; it may also call {@link #expect} (which throws {@link Failure}, turned into
 * {@link Outcome#FAIL}). Any other exception becomes {@link Outcome#ERROR}.
 */
public record ConformanceCheck(String name, String description, boolean required, Body body) {

    public ConformanceCheck {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(body, "body");
    }

    /** The code of a check. Everything it writes must be under keys made by {@link ConformanceScratch#key}. */
    @FunctionalInterface
    public interface Body {
        Result run(ObjectStore store, ConformanceScratch scratch) throws Exception;
    }

    /** What a check found: an outcome and a one-line detail. */
    public record Result(Outcome outcome, String detail) {
        public Result {
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(detail, "detail");
        }

        public static Result pass(String detail) {
            return new Result(Outcome.PASS, detail);
        }

        public static Result fail(String detail) {
            return new Result(Outcome.FAIL, detail);
        }

        public static Result notSupported(String detail) {
            return new Result(Outcome.NOT_SUPPORTED, detail);
        }

        public static Result error(String detail) {
            return new Result(Outcome.ERROR, detail);
        }
    }

    /** The store broke the guarantee; the message says how. */
    public static final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public Failure(String message) {
            super(message, null, false, false);
        }
    }

    /** Fails the check with {@code detail} unless {@code ok}. */
    public static void expect(boolean ok, Supplier<String> detail) {
        if (!ok) {
            throw new Failure(detail.get());
        }
    }

    /** Fails the check with {@code detail} unless {@code ok}. */
    public static void expect(boolean ok, String detail) {
        if (!ok) {
            throw new Failure(detail);
        }
    }
}
