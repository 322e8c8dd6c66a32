package io.antpool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.antpool.client.AntPoolExecutor;
import io.antpool.it.contract.Probes;
import io.antpool.it.dashboard.DashboardTasks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

/**
 * The {@code /antadmin} dashboard in a real browser: a server and two worker JVMs run real tasks (some fail, one
 * is held running), and the page, opened before the tasks, must show them live: the workers, the counts, a
 * chart with data, bars in the task stream, the join events, sortable tables, and a phone-sized layout without
 * sideways scrolling. Screenshots go to {@code target/dashboard.png} and {@code target/dashboard-phone.png}.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class DashboardIT {
  private static final int TASKS = 40;
  private static final int FAILING = 3;
  /** The task stream's colours (webroot/stream.js): the first client's, and that of a failed task. */
  private static final List<List<Integer>> CLIENT_AND_ERROR_COLOURS = List.of(List.of(0x4e, 0x79, 0xa7),
      List.of(0xd6, 0x27, 0x28));

  /** Where the held task waits for its gate. */
  @TempDir
  Path gate;

  @Test
  void theDashboardShowsThePoolLiveOnADesktopAndAPhone() throws Exception {
    // the browser first: without chromium the test fails at once, before starting any JVM
    try (HeadlessChromium browser = HeadlessChromium.start(1400, 1000);
        ChildJvm server = Pool.server();
        ChildJvm first = Pool.worker(server, 2);
        ChildJvm second = Pool.worker(server, 2);
        AntPoolExecutor pool = new AntPoolExecutor(Pool.url(server))) {
      List<String> slots = new ArrayList<>(Pool.slotNames(first));
      slots.addAll(Pool.slotNames(second));
      assertEquals(4, slots.size(), "two workers of two slots each joined");

      browser.driver().get("http://127.0.0.1:" + Pool.port(server) + "/antadmin/");
      browser.await("the page receives the live stream", d -> "live".equals(text(browser, "conn")));
      browser.await("the worker table lists every slot", d -> new HashSet<>(column(browser, "workers", "name"))
          .equals(new HashSet<>(slots)));

      // tasks run while the page watches: one held at a gate, the others through to their end
      CompletableFuture<Long> held = pool.submit(Probes.pidAfterGate(gate.toString()));
      List<CompletableFuture<Long>> done = new ArrayList<>();
      for (int i = 0; i < TASKS; i++) {
        done.add(pool.submit(Probes.busyFor(100)));
      }
      List<CompletableFuture<Long>> failing = new ArrayList<>();
      for (int i = 0; i < FAILING; i++) {
        failing.add(pool.submit(DashboardTasks.failing("dashboard test failure " + i)));
      }
      for (CompletableFuture<Long> f : done) {
        assertTrue(f.get(60, TimeUnit.SECONDS) > 0);
      }
      for (CompletableFuture<Long> f : failing) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(60, TimeUnit.SECONDS));
        assertInstanceOf(IllegalStateException.class, e.getCause());
      }

      browser.await("the summary counts " + TASKS + " completed and " + FAILING + " failed tasks",
          d -> figure(browser, "completed").equals(String.valueOf(TASKS))
              && figure(browser, "failed").equals(String.valueOf(FAILING)));
      assertEquals(List.of(String.valueOf(TASKS)), column(browser, "clients", "completed"));
      assertEquals(List.of(String.valueOf(FAILING)), column(browser, "clients", "failed"));
      browser.await("the running task is listed, on one of the slots", d -> {
        List<String> workers = column(browser, "running", "worker");
        return workers.size() == 1 && slots.contains(workers.get(0));
      });
      browser.await("the throughput chart has drawn completed tasks", d -> Boolean.TRUE.equals(browser.script(
          "const p = document.querySelector('#throughput path[data-series=completed]');"
              + "return !!p && p.getBBox().height > 0 && p.getBBox().width > 0")));
      browser.await("the task stream has a bar for every finished run, and the held task open",
          d -> Integer.parseInt(attribute(browser, "stream", "data-bars")) >= TASKS + FAILING
              && "1".equals(attribute(browser, "stream", "data-running")));
      List<Number> pixels = colouredPixels(browser);
      assertTrue(pixels.get(0).intValue() > 0 && pixels.get(1).intValue() > 0,
          "the stream's canvas shows bars in the client's colour and in the failure colour: " + pixels);
      browser.await("the event log shows every slot joining and each failure", d -> {
        List<String> joined = events(browser, "worker-joined");
        return slots.stream().allMatch(slot -> joined.stream().anyMatch(e -> e.contains("worker " + slot + " ")))
            && events(browser, "task-failed").size() == FAILING;
      });

      // sorting: by name (as shown first, ascending), reversed by a click on its header, and back
      assertEquals("ascending", browser.driver().findElement(By.cssSelector("#workers th[data-key=name]"))
          .getDomAttribute("aria-sort"));
      List<String> ascending = column(browser, "workers", "name");
      browser.driver().findElement(By.cssSelector("#workers th[data-key=name] button")).click();
      List<String> descending = new ArrayList<>(ascending);
      Collections.reverse(descending);
      browser.await("a click on Name sorts the workers the other way",
          d -> column(browser, "workers", "name").equals(descending));
      assertEquals("descending", browser.driver().findElement(By.cssSelector("#workers th[data-key=name]"))
          .getDomAttribute("aria-sort"));
      browser.driver().findElement(By.cssSelector("#workers th[data-key=name] button")).click();
      browser.await("a second click on Name sorts them back", d -> column(browser, "workers", "name")
          .equals(ascending));
      browser.screenshot(Path.of("target", "dashboard.png"));

      browser.emulatePhone(390, 844, 3);
      @SuppressWarnings("unchecked")
      Map<String, Object> phone = browser.await("the page is laid out for a 390 px wide phone",
          d -> (Map<String, Object>) browser.script("return innerWidth === 390 ? {"
              + " scrollWidth: document.documentElement.scrollWidth,"
              + " overflowing: [...document.querySelectorAll('header, section')]"
              + "   .filter(e => e.getBoundingClientRect().right > innerWidth + 0.5)"
              + "   .map(e => e.getAttribute('aria-labelledby') || e.tagName) } : null"));
      assertEquals(390L, ((Number) phone.get("scrollWidth")).longValue(),
          "no sideways scrolling of the page on a phone; panels wider than the screen: " + phone.get("overflowing"));
      assertEquals(List.of(), phone.get("overflowing"), "every panel fits the phone's width");
      browser.await("the figures are still shown on the phone",
          d -> figure(browser, "completed").equals(String.valueOf(TASKS)));
      browser.screenshot(Path.of("target", "dashboard-phone.png"));

      assertEquals(List.of(), browser.consoleErrors(), "the page ran without errors");
      Files.writeString(gate.resolve("gate"), "");
      assertTrue(held.get(60, TimeUnit.SECONDS) > 0);
    }
  }

  private static String text(HeadlessChromium browser, String id) {
    return (String) browser.script("const e = document.getElementById(arguments[0]); return e && e.textContent",
        id);
  }

  private static String attribute(HeadlessChromium browser, String id, String name) {
    return (String) browser.script("return document.getElementById(arguments[0]).getAttribute(arguments[1])",
        id, name);
  }

  /** The text of a summary figure, e.g. "completed". */
  private static String figure(HeadlessChromium browser, String key) {
    return (String) browser.script(
        "const e = document.querySelector('[data-figure=\"' + arguments[0] + '\"] .value'); return e && e.textContent",
        key);
  }

  /** The texts of the event log's entries of one kind, newest first. */
  @SuppressWarnings("unchecked")
  private static List<String> events(HeadlessChromium browser, String kind) {
    return (List<String>) browser.script("return [...document.querySelectorAll("
        + "'#events li[data-kind=\"' + arguments[0] + '\"]')].map(li => li.textContent)", kind);
  }

  /** The texts of one column of a dashboard table, top to bottom. */
  @SuppressWarnings("unchecked")
  private static List<String> column(HeadlessChromium browser, String table, String key) {
    return (List<String>) browser.script("const t = document.getElementById(arguments[0]);"
        + "const i = [...t.tHead.rows[0].cells].findIndex(th => th.dataset.key === arguments[1]);"
        + "return [...t.tBodies[0].rows].filter(r => r.dataset.key).map(r => r.cells[i].textContent)",
        table, key);
  }

  /** How many pixels of the task stream's canvas have each of {@link #CLIENT_AND_ERROR_COLOURS}. */
  @SuppressWarnings("unchecked")
  private static List<Number> colouredPixels(HeadlessChromium browser) {
    return (List<Number>) browser.script("const c = document.getElementById('stream');"
        + "const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
        + "return arguments[0].map(([r, g, b]) => {"
        + "  let n = 0;"
        + "  for (let i = 0; i < d.length; i += 4) { if (d[i] === r && d[i + 1] === g && d[i + 2] === b) n++; }"
        + "  return n; })", CLIENT_AND_ERROR_COLOURS);
  }
}
