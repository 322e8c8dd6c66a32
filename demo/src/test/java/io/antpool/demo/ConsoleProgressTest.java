package io.antpool.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.antpool.TaskProgress;
import io.antpool.client.TaskCounts;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * {@link ConsoleProgress} on a clock the test drives: nothing during a run's first second; on a console one line
 * redrawn in place and blanked at the end; elsewhere a plain line at most every five seconds. The share done
 * counts the run's ended tasks and the fractions its running tasks reported.
 */
class ConsoleProgressTest {
  private static final long SECOND = 1_000_000_000L;

  private long now = 50 * SECOND;
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  private String printed() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  /** The bar's 30 cells, {@code filled} of them done. */
  private static String bar(int filled) {
    return "[" + "#".repeat(filled) + "-".repeat(30 - filled) + "]";
  }

  @Test
  void onAConsoleTheBarIsRedrawnInPlaceAfterTheFirstSecondAndBlankedAtTheEnd() {
    ConsoleProgress bar = new ConsoleProgress(out, true, () -> now);
    bar.counts(10, 10, 0); // told late: the warm-up round had 16 tasks, all ended before the run began
    bar.begin("futures", new TaskCounts(16, 16, 0));
    bar.counts(20, 16, 0);
    assertEquals("", printed(), "a run shorter than a second shows nothing");

    now += 2 * SECOND;
    CompletableFuture<Long> running = new CompletableFuture<>();
    bar.taskProgress(running, new TaskProgress(1, 2));
    bar.counts(20, 18, 0);

    String[] draws = printed().split("\r", -1);
    assertEquals(3, draws.length, printed());
    assertEquals("  futures   " + bar(4) + "  13%    0/4 tasks done", draws[1].stripTrailing(),
        "half of one task of four");
    assertEquals("  futures   " + bar(19) + "  63%    2/4 tasks done", draws[2].stripTrailing(),
        "two done and half of one");
    assertFalse(printed().contains("\n"), "one line, redrawn");
    bar.end();
    assertTrue(printed().endsWith("\r" + " ".repeat(draws[2].length()) + "\r"), "blanked for what follows");
    running.complete(1L);
    bar.counts(20, 20, 0);
    bar.counts(19, 18, 0); // a late call with older figures changes nothing
    assertTrue(printed().endsWith("\r" + " ".repeat(draws[2].length()) + "\r"), "nothing between runs");
  }

  @Test
  void theBarNeverMovesBackWithinARunWhenARunningTaskEndsBeforeTheCountsSayIt() {
    ConsoleProgress bar = new ConsoleProgress(out, true, () -> now);
    bar.begin("callbacks", new TaskCounts(0, 0, 0));
    bar.counts(2, 0, 0);
    now += 2 * SECOND;
    CompletableFuture<Long> running = new CompletableFuture<>();
    bar.taskProgress(running, new TaskProgress(9, 10));
    running.complete(1L); // ended; the counts call saying so comes later

    bar.taskProgress(new CompletableFuture<>(), new TaskProgress(0, 10));

    String[] draws = printed().split("\r", -1);
    assertEquals("  callbacks " + bar(14) + "  45%    0/2 tasks done", draws[1].stripTrailing());
    assertEquals("  callbacks " + bar(14) + "  45%    0/2 tasks done", draws[2].stripTrailing(), "not 0%");
  }

  @Test
  void elsewhereAPlainLineIsPrintedAtMostEveryFiveSeconds() {
    ConsoleProgress bar = new ConsoleProgress(out, false, () -> now);
    bar.begin("map", new TaskCounts(0, 0, 0));
    bar.counts(4, 0, 0);
    for (int second = 1; second <= 11; second++) {
      now += SECOND;
      bar.counts(4, second / 5, 0); // lines at 5 s (1 done) and at 10 s (2 done)
    }
    now += SECOND;
    bar.counts(4, 3, 1);
    bar.end();

    String line = "  map       %s %3d%%    %d/4 tasks done\n";
    assertEquals(String.format(line, bar(8), 25, 1) + String.format(line, bar(15), 50, 2), printed());
  }
}
