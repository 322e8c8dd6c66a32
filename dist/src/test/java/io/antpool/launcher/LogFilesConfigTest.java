package io.antpool.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.joran.spi.JoranException;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;

/**
 * {@code conf/logback-files.xml}, the logging of {@code antpoolsrv} without {@code /v}, loaded as the server loads
 * it (from the jar's class path) into a logging context of the test's own: everything from info up goes to
 * {@code aSrv_log.txt} and only errors to {@code aSrv_err.txt}, in the folder {@code antpool.logDir} names; a file
 * that passes {@code antpool.logMaxFileSize} rolls over to a dated, numbered archive beside it.
 */
class LogFilesConfigTest {
  @TempDir
  Path dir;

  private LoggerContext context;

  private Logger configure(Map<String, String> properties) throws JoranException {
    URL config = getClass().getClassLoader().getResource("logback-files.xml");
    assertNotNull(config, "logback-files.xml is on the class path, as in antpool.jar");
    context = new LoggerContext();
    context.setMDCAdapter(new LogbackMDCAdapter()); // a context of one's own needs one, which the default has
    context.putProperty("antpool.logDir", dir.toString());
    properties.forEach(context::putProperty);
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(config);
    return context.getLogger("io.antpool.server.impl.Scheduler");
  }

  @AfterEach
  void stop() {
    if (context != null) {
      context.stop();
    }
  }

  @Test
  void everythingGoesToTheLogAndOnlyErrorsToTheErrorFile() throws Exception {
    Logger log = configure(Map.of());
    log.debug("a debug line");
    log.info("worker slot w-1 joined");
    log.warn("a peer misbehaved");
    log.error("a listener failed");

    List<String> all = Files.readAllLines(dir.resolve("aSrv_log.txt"));
    assertEquals(3, all.size(), "info, warning and error, not debug: " + all);
    assertTrue(all.get(0).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  .*Scheduler - worker slot"
        + " w-1 joined"), all.get(0));
    List<String> errors = Files.readAllLines(dir.resolve("aSrv_err.txt"));
    assertEquals(1, errors.size(), errors.toString());
    assertTrue(errors.get(0).contains("ERROR") && errors.get(0).endsWith("a listener failed"), errors.get(0));
  }

  @Test
  void aFileThatPassesItsMaximumSizeRollsToADatedNumberedArchive() throws Exception {
    Logger log = configure(Map.of("antpool.logMaxFileSize", "2KB"));
    Path archive = dir.resolve("aSrv_log." + LocalDate.now() + ".0.txt");
    String line = "x".repeat(100);
    // the size is checked at most every few milliseconds, so write until the roll-over shows, at most 30 s
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!Files.exists(archive) && System.nanoTime() < deadline) {
      log.info(line);
    }
    assertTrue(Files.exists(archive), "the log rolled over to " + archive.getFileName() + "; the folder holds "
        + list());
    assertTrue(Files.size(archive) >= 2048, "the archive is the full file: " + Files.size(archive) + " bytes");
    assertTrue(Files.size(dir.resolve("aSrv_log.txt")) < Files.size(archive), "the log began afresh");
    assertFalse(Files.exists(dir.resolve("aSrv_err." + LocalDate.now() + ".0.txt")), "no error, no error archive");
  }

  private List<String> list() throws IOException {
    try (var files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
