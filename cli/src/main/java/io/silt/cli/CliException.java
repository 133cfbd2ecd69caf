package io.silt.cli;

/** A failure the command reports as one line on standard error, with exit code 1. */
final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CliException(String message) {
        super(message);
    }
}
