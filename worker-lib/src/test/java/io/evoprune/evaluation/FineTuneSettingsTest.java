package io.evoprune.evaluation;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class FineTuneSettingsTest {

    @Test
    void eachBadValueIsRefusedNamingItsKeyAndTheEndsOfEveryRangeAreAllowed() {
        assertEquals("finetune.epochs must be at least 0, but was -1", assertThrows(IllegalArgumentException.class,
                () -> new FineTuneSettings(-1, 0, 32, 0.001)).getMessage());
        assertEquals("finetune.max-batches must be at least 0, but was -1", assertThrows(IllegalArgumentException.class,
                () -> new FineTuneSettings(1, -1, 32, 0.001)).getMessage());
        assertEquals("finetune.batch-size must be at least 1, but was 0", assertThrows(IllegalArgumentException.class,
                () -> new FineTuneSettings(1, 0, 0, 0.001)).getMessage());
        assertEquals("finetune.learning-rate must be in [0.0, 10.0], but was -0.001",
                assertThrows(IllegalArgumentException.class, () -> new FineTuneSettings(1, 0, 32, -0.001)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new FineTuneSettings(1, 0, 32, 10.5));
        assertThrows(IllegalArgumentException.class, () -> new FineTuneSettings(1, 0, 32, Double.NaN));
        // 0 epochs is no fine-tune, and rate 0 means the model's own rates
        assertDoesNotThrow(() -> new FineTuneSettings(0, 0, 1, 0));
        assertDoesNotThrow(() -> new FineTuneSettings(0, 0, 1, 10));
    }
}
