package io.evoprune.job;

/** A run that started could not finish (exit code 1); the message says why and how to continue it. */
public final class RunFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RunFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
