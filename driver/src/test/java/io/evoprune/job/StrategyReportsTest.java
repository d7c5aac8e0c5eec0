package io.evoprune.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class StrategyReportsTest {
    @Test
    void racingThatCostMoreSaysSoRatherThanANegativeSaving() {
        assertEquals("25% saved", StrategyReports.racingVerdict(0.25));
        assertEquals("19% more (racing pays where finetune.max-batches is many times racing.short-batches)",
                StrategyReports.racingVerdict(-0.19));
    }
}
