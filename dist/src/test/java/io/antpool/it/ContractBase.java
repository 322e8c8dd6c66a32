package io.antpool.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the contract tests share: the executor under test (made by the subclass, shut down after each test), a
 * folder for the files by which tasks leave evidence, and file gates, which make the order in which tasks
 * finish the test's decision, never the machine's timing. Tasks are serializable lambdas, so the same tests
 * run on AntPool's executor (real server and worker JVMs) and on the JDK's {@code ThreadPoolExecutor}, whose run
 * proves that each test encodes the JDK's behaviour and not an AntPool peculiarity.
 */
abstract class ContractBase {
  /** Long enough for any task here to be waiting on its gate, short enough to end a failed test. */
  static final long GATE_MILLIS = 60_000;

  @TempDir
  Path dir;

  private ExecutorService executor;

  /** A new executor with at least two threads (or worker slots). */
  abstract ExecutorService newExecutor() throws Exception;

  ExecutorService executor() throws Exception {
    if (executor == null) {
      executor = newExecutor();
    }
    return executor;
  }

  @AfterEach
  void closeExecutor() throws Exception {
    openAllGates();
    if (executor != null) {
      executor.shutdown();
      assertTrue(executor.awaitTermination(60, TimeUnit.SECONDS), "the executor terminates once its tasks end");
    }
  }

  private void openAllGates() throws Exception {
    for (int i = 0; i < 8; i++) {
      Path gate = dir.resolve("gate-" + i);
      if (!Files.exists(gate)) {
        Files.createFile(gate);
      }
    }
  }

  String gate(int i) {
    return dir.resolve("gate-" + i).toString();
  }

  void open(int i) throws Exception {
    Files.createFile(dir.resolve("gate-" + i));
  }

  String mark(String name) {
    return dir.resolve(name).toString();
  }

  boolean marked(String name) {
    return Files.exists(dir.resolve(name));
  }

  void awaitMark(String name) throws InterruptedException {
    Pool.awaitFile(dir.resolve(name), Duration.ofSeconds(60));
  }

}
