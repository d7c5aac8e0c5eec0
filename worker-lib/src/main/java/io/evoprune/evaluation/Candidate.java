package io.evoprune.evaluation;

import io.evoprune.mask.Mask;
import java.io.Serializable;

/** One mask to evaluate; {@code index} ties the result back to its place in the batch. */
public record Candidate(int index, Mask mask, long seed) implements Serializable {
}
