package io.antpool.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's chromium, headless, driven through Debian's chromedriver. Both executables are handed to Selenium,
 * so its Selenium Manager has nothing to look for: it never runs, and so never downloads a driver or a browser.
 * {@link #start} checks that from Selenium's own log, and fails (never skips) when either package is missing.
 */
final class HeadlessChromium implements AutoCloseable {
  static final Path BROWSER = Path.of("/usr/bin/chromium");
  static final Path DRIVER = Path.of("/usr/bin/chromedriver");
  private static final Duration WAIT = Duration.ofSeconds(60);

  /**
   * Quietened: on start Selenium looks for a DevTools binding (selenium-devtools-vNNN) matching the browser, for
   * its getDevTools(), and warns when there is none. This test needs none: it uses chromedriver's own CDP
   * command endpoint ({@link ChromeDriver#executeCdpCommand}). Held here because java.util.logging keeps
   * loggers only weakly.
   */
  private static final List<Logger> QUIET = List.of(
      quiet("org.openqa.selenium.devtools.CdpVersionFinder"), quiet("org.openqa.selenium.chromium.ChromiumDriver"));

  private final ChromeDriver driver;

  private HeadlessChromium(ChromeDriver driver) {
    this.driver = driver;
  }

  /** A browser window of {@code width} x {@code height} CSS pixels. */
  static HeadlessChromium start(int width, int height) throws IOException {
    for (Path p : List.of(BROWSER, DRIVER)) {
      if (!Files.isExecutable(p)) {
        fail(p + " is missing: the dashboard's browser test needs Debian's chromium and chromedriver. Run .ci/run,"
            + " or apt-get install chromium chromium-driver");
      }
    }
    SeleniumLog log = SeleniumLog.capture();
    Path logs = Files.createDirectories(Path.of("target", "it-logs"));
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(DRIVER.toFile())
        .usingAnyFreePort()
        .withLogFile(logs.resolve("chromedriver.log").toFile())
        .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(BROWSER.toFile());
    // --no-sandbox: CI runs as root, where chromium's sandbox refuses to start; the rest keeps chromium from
    // reaching out to the network on its own
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--hide-scrollbars",
        "--window-size=" + width + "," + height, "--no-first-run", "--no-default-browser-check",
        "--disable-background-networking", "--disable-component-update", "--disable-sync");
    options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
    ChromeDriver driver;
    try {
      driver = new ChromeDriver(service, options);
    } finally {
      log.stop();
    }
    try {
      log.assertSeleniumManagerNeverRan();
    } catch (AssertionError e) {
      driver.quit();
      throw e;
    }
    return new HeadlessChromium(driver);
  }

  private static Logger quiet(String name) {
    Logger logger = Logger.getLogger(name);
    logger.setLevel(Level.SEVERE);
    return logger;
  }

  ChromeDriver driver() {
    return driver;
  }

  /** Waits, checking {@code condition} every half second, until it returns something other than null or false. */
  <T> T await(String what, ExpectedCondition<T> condition) {
    return new WebDriverWait(driver, WAIT, Duration.ofMillis(500)).withMessage(what).until(condition);
  }

  Object script(String js, Object... args) {
    return driver.executeScript(js, args);
  }

  /** Lays the page out as a phone of {@code width} x {@code height} CSS pixels would (a mobile viewport). */
  void emulatePhone(int width, int height, double pixelRatio) {
    driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", height,
        "deviceScaleFactor", pixelRatio, "mobile", true));
  }

  /** Saves the whole page, not only the part in the window, as a PNG. */
  void screenshot(Path file) throws IOException {
    @SuppressWarnings("unchecked")
    List<Number> size = (List<Number>) script(
        "return [document.documentElement.clientWidth, document.documentElement.scrollHeight]");
    Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png",
        "captureBeyondViewport", true, "clip", Map.of("x", 0, "y", 0, "width", size.get(0), "height", size.get(1),
            "scale", 1)));
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.write(file, Base64.getDecoder().decode((String) shot.get("data")));
  }

  /** The page's console messages at level SEVERE (script errors, failed requests) so far. */
  List<String> consoleErrors() {
    List<String> errors = new ArrayList<>();
    for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
      if (e.getLevel().intValue() >= Level.SEVERE.intValue()) {
        errors.add(e.getMessage());
      }
    }
    return errors;
  }

  @Override
  public void close() {
    driver.quit();
  }

  /**
   * What Selenium logs (java.util.logging) while it finds its driver: proof that it took the paths given and did
   * not start Selenium Manager, which would look for, and could download, a driver and a browser.
   */
  private static final class SeleniumLog extends Handler {
    // held here: java.util.logging keeps loggers only weakly, and would drop their level and handler
    private final Logger finder = Logger.getLogger("org.openqa.selenium.remote.service.DriverFinder");
    private final Logger manager = Logger.getLogger("org.openqa.selenium.manager");
    private final List<String> finderLines = new ArrayList<>();
    private final List<String> managerLines = new ArrayList<>();

    static SeleniumLog capture() {
      SeleniumLog log = new SeleniumLog();
      log.setLevel(Level.ALL);
      for (Logger l : List.of(log.finder, log.manager)) {
        l.setLevel(Level.ALL);
        l.addHandler(log);
      }
      return log;
    }

    @Override
    public synchronized void publish(LogRecord r) {
      String line = r.getLoggerName() + ": " + r.getMessage();
      (r.getLoggerName().startsWith(manager.getName()) ? managerLines : finderLines).add(line);
    }

    void stop() {
      for (Logger l : List.of(finder, manager)) {
        l.removeHandler(this);
        l.setLevel(null);
      }
    }

    synchronized void assertSeleniumManagerNeverRan() {
      if (!managerLines.isEmpty()) {
        fail("Selenium Manager ran (it may download drivers and browsers): " + managerLines);
      }
      if (finderLines.stream().noneMatch(l -> l.contains("Skipping Selenium Manager"))) {
        fail("Selenium did not say it skipped Selenium Manager for the given " + DRIVER + "; its log: "
            + finderLines);
      }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
  }
}
