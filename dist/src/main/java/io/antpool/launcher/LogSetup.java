package io.antpool.launcher;

/**
 * Chooses the logging configuration before anything logs: the console ({@code logback.xml}) or the seed's
 * files {@code aSrv_log.txt} and {@code aSrv_err.txt} ({@code logback-files.xml}) in a folder. Must run before
 * the first logger is created, so commands call it first thing.
 */
final class LogSetup {
  private LogSetup() {
  }

  static void console() {
    // logback.xml on the class path is the default; nothing to do unless the user chose a file
  }

  /**
   * The seed's rolling files in {@code folder}; a configuration the user gave with
   * {@code -Dlogback.configurationFile} is kept, and may use {@code ${antpool.logDir}} for the folder too.
   */
  static void files(String folder) {
    System.setProperty("antpool.logDir", folder);
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "logback-files.xml");
    }
  }
}
