package io.evoprune.report;

import java.io.IOException;

/** A run directory's file holds something the report cannot read (bad JSON, wrong shape); the message names it. */
public final class UnreadableRunFileException extends IOException {
    private static final long serialVersionUID = 1L;

    UnreadableRunFileException(String message, Throwable cause) {
        super(message, cause);
    }

    UnreadableRunFileException(String message) {
        super(message);
    }
}
