package io.evoprune.cli;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MainTest {
    @Test
    void aJvmWithoutSparkIsToldHowToStartTheJar() {
        // The platform loader sees the JDK only: what `java -jar evoprune.jar` has of Spark.
        String message = Main.missingSpark(ClassLoader.getPlatformClassLoader());
        assertTrue(message != null && message.contains("spark-submit") && message.contains("bin/evoprune"), message);
        assertNull(Main.missingSpark(Main.class.getClassLoader()));
    }
}
