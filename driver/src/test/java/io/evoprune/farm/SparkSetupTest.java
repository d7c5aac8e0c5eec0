package io.evoprune.farm;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Master URLs are checked as Spark parses them, before any context starts. */
class SparkSetupTest {
    @Test
    void sparksOwnFormsPass() {
        for (String master : new String[] {"local", "local[2]", "local[*]", "local[2,3]", "local[*, 4]",
                "local-cluster[2, 1, 1024]", "spark://127.0.0.1:7077", "spark://a:7077,b:7077"}) {
            assertDoesNotThrow(() -> SparkSetup.requireMaster(master), master);
        }
    }

    @Test
    void typosAndMissingPartsAreRefused() {
        // local[0] parses, but Spark refuses zero threads; yarn needs spark-yarn, which the tests do not have.
        for (String master : new String[] {"local[x]", "local[0]", "local[ 2 ]", "local[2", "locl[2]", "spark://host",
                "spark://a:7077,b", "spark:/a:7077", "yarn", ""}) {
            assertThrows(IllegalArgumentException.class, () -> SparkSetup.requireMaster(master), master);
        }
    }
}
