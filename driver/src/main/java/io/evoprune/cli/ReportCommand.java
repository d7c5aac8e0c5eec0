package io.evoprune.cli;

import io.evoprune.farm.SparkSetup;
import io.evoprune.job.BadInputException;
import io.evoprune.report.HtmlReport;
import io.evoprune.report.UnreadableRunFileException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code evoprune report RUN_DIR}: (re)writes a run directory's report.html from its JSON outputs. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write RUN_DIR/report.html from the run's generations.jsonl, summary.json, best-mask.json "
                + "and, when present, pareto.json and rebuild.json.")
final class ReportCommand implements Callable<Integer> {
    @Parameters(paramLabel = "RUN_DIR", description = "A run directory (any Hadoop file system URI or local path).")
    String runDir;

    @Override
    public Integer call() throws IOException {
        Path dir;
        try {
            dir = new Path(runDir);
        } catch (IllegalArgumentException e) { // e.g. "" or "exp:1"
            throw new BadInputException("RUN_DIR '" + runDir + "' is not a usable location: " + e.getMessage(), e);
        }
        Path written;
        try {
            written = HtmlReport.write(dir, SparkSetup.hadoopConfiguration());
        } catch (FileNotFoundException | UnreadableRunFileException e) {
            throw new BadInputException(e.getMessage(), e);
        }
        System.out.println("evoprune: report written to " + written);
        return Main.OK;
    }
}
