package io.evoprune.farm;

import io.evoprune.evaluation.Candidate;
import io.evoprune.evaluation.EvaluationResult;
import io.evoprune.evaluation.Workload;
import io.evoprune.model.Trainer;
import org.apache.spark.TaskContext;

/**
 * One candidate's evaluation inside a Spark task, with Spark's retries. An evaluation that throws is rethrown
 * while Spark will run the task again (so a transient fault, such as an executor short of memory, gets
 * another try, possibly elsewhere); on the last attempt it becomes a failed result with the worst fitness and
 * the error, and the generation goes on. Failing the whole job for one bad candidate would lose the
 * generation's other evaluations.
 */
final class TaskEvaluation {
    private TaskEvaluation() {
    }

    static EvaluationResult run(EvaluationFunction function, Workload workload, Candidate candidate, int attempts) {
        long start = System.nanoTime();
        try {
            return function.evaluate(workload, candidate);
        } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
            if (Trainer.shuttingDown()) {
                // Cut short by SIGTERM or Ctrl-C, not a fault of the mask: recorded as a failure it would be cached
                // and checkpointed, and a resumed run would differ from an uninterrupted one. Failed, the task is
                // run again elsewhere (an executor going away) or the generation is lost (the driver stopping).
                throw e;
            }
            TaskContext task = TaskContext.get();
            int attempt = task == null ? 1 : task.attemptNumber() + 1;
            if (attempt < attempts) {
                throw new EvaluationAttemptException("Evaluation of candidate " + candidate.index() + " ("
                        + candidate.mask() + ") failed on attempt " + attempt + " of " + attempts + ": " + e, e);
            }
            return EvaluationResult.failure(candidate.index(), candidate.mask().keptFraction(),
                    (System.nanoTime() - start) / 1e9,
                    "failed on attempt " + attempt + " of " + attempts + ": " + e);
        }
    }

    /**
     * A failed attempt that Spark will retry. An Error (out of memory, stack overflow) is not kept as the cause,
     * only its text and stack: Spark treats a task whose exception chain holds an Error as fatal and stops the
     * executor JVM (in local mode, the driver itself) instead of retrying the task. One evaluation's allocations
     * are garbage once it has failed, so the executor is fit to go on.
     */
    static final class EvaluationAttemptException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        EvaluationAttemptException(String message, Throwable failure) {
            super(message, failure instanceof Error ? null : failure);
            if (failure instanceof Error) {
                setStackTrace(failure.getStackTrace());
            }
        }
    }
}
