package io.evoprune.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evoprune.evaluation.FineTuneSettings;
import io.evoprune.search.GenerationStats;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

class CollapseWarningTest {
    private static GenerationStats best(int generation, double accuracy) {
        return new GenerationStats(generation, accuracy, accuracy, accuracy, accuracy, 0.5, 4, 0, 0, 1.0);
    }

    /** 100 validation examples, 40 of class 0 and 30 each of classes 1 and 2: always answering 0 scores 0.40. */
    private static DataSet validation() {
        var labels = Nd4j.zeros(DataType.FLOAT, 100, 3);
        for (int i = 0; i < 100; i++) {
            labels.putScalar(i, i < 40 ? 0 : i < 70 ? 1 : 2, 1);
        }
        return new DataSet(Nd4j.zeros(DataType.FLOAT, 100, 2), labels);
    }

    @Test
    void warnsOnceWhenTheBestIsNoBetterThanTheMajorityClass() {
        CollapseWarning w = CollapseWarning.of(validation(), 0.85, new FineTuneSettings(1, 0, 32, 10, false), false);
        assertNull(w.check(best(0, 0.42)), "0.42 is above 0.40 + 0.01");
        assertEquals("warning: the best candidate of generation 1 has validation accuracy 0.4100, no better than always"
                + " answering the most frequent class (0.4000 of the validation set), where the base has 0.8500:"
                + " fine-tuning destroys what the base learnt. finetune.learning-rate (10.0) is probably too high for"
                + " this model", w.check(best(1, 0.41)));
        assertNull(w.check(best(2, 0.30)), "once per search");
    }

    @Test
    void aBaseThatLearntNothingEitherIsNoCollapse() {
        CollapseWarning w = CollapseWarning.of(validation(), 0.44, new FineTuneSettings(1, 0, 32, 0, false), false);
        assertNull(w.check(best(0, 0.40)), "0.44 is less than 0.40 + 0.05");
        String modelsOwn = CollapseWarning.of(validation(), 0.9, new FineTuneSettings(1, 0, 32, 0, false), false)
                .check(best(0, 0.1));
        assertTrue(modelsOwn.endsWith("finetune.learning-rate (0: the model's own updater's) is probably too high for"
                + " this model"), modelsOwn);
    }

    @Test
    void dataSortedByClassIsNamedAsTheCauseRatherThanTheLearningRate() {
        String sorted = CollapseWarning.of(validation(), 0.9, new FineTuneSettings(1, 0, 32, 10, false), true)
                .check(best(3, 0.0));
        assertTrue(sorted.endsWith("fine-tuning destroys what the base learnt. The splits look cut from data sorted by"
                + " class (the warning on the validation split above), so fine-tuning teaches some classes and"
                + " unlearns the rest: set data.shuffle=true"), sorted);
        assertTrue(!sorted.contains("learning-rate"), sorted);
    }
}
