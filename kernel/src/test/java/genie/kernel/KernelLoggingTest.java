package genie.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Properties;

import org.junit.jupiter.api.Test;

class KernelLoggingTest {

    @Test
    void librariesWarnDjlOnlyErrs() {
        Properties p = new Properties();
        KernelLogging.quiet(p);
        assertEquals("warn", p.getProperty("org.slf4j.simpleLogger.defaultLogLevel"));
        assertEquals("error", p.getProperty("org.slf4j.simpleLogger.log.ai.djl"));
    }

    @Test
    void aLevelGivenOnTheCommandLineWins() {
        Properties p = new Properties();
        p.setProperty("org.slf4j.simpleLogger.log.ai.djl", "info");
        KernelLogging.quiet(p);
        assertEquals("info", p.getProperty("org.slf4j.simpleLogger.log.ai.djl"));
    }
}
