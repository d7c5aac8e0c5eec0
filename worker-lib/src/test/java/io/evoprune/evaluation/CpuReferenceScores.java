package io.evoprune.evaluation;

import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The CPU side of {@link CudaEvaluationTest#scoresMatchTheCpuBackend}: reads workloads and candidates, evaluates
 * them on the backend this JVM loaded (which must be the CPU's) and writes the results.
 */
final class CpuReferenceScores {
    private CpuReferenceScores() {
    }

    @SuppressWarnings("unchecked")
    public static void main(String[] args) throws Exception {
        if (!Nd4j.getEnvironment().isCPU()) {
            throw new IllegalStateException("ND4J loaded " + Nd4j.getBackend().getClass().getSimpleName()
                    + ", not its CPU backend: is nd4j-native on the class path and BACKEND_PRIORITY_CPU set?");
        }
        List<Workload> workloads;
        List<List<Candidate>> candidates;
        try (ObjectInputStream in = new ObjectInputStream(Files.newInputStream(Path.of(args[0])))) {
            workloads = (List<Workload>) in.readObject();
            candidates = (List<List<Candidate>>) in.readObject();
        }
        List<List<EvaluationResult>> results = new ArrayList<>();
        for (int w = 0; w < workloads.size(); w++) {
            List<EvaluationResult> scored = new ArrayList<>();
            for (Candidate c : candidates.get(w)) {
                scored.add(MaskEvaluator.evaluate(workloads.get(w), c));
            }
            results.add(scored);
        }
        try (ObjectOutputStream out = new ObjectOutputStream(Files.newOutputStream(Path.of(args[1])))) {
            out.writeObject(results);
        }
    }
}
