package io.antpool.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real child process (a server or worker JVM, or a launch script) whose output lines the test can wait for.
 * Output is also copied to {@code target/it-logs/NAME.log} for people to read after a failure. Closing kills
 * the process and everything it started.
 */
final class ChildJvm implements AutoCloseable {
  private final String name;
  private final Process process;
  private final List<String> lines = new ArrayList<>();

  private ChildJvm(String name, Process process, Path log) throws IOException {
    this.name = name;
    this.process = process;
    PrintWriter logOut = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true);
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
          StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          logOut.println(line);
          synchronized (lines) {
            lines.add(line);
            lines.notifyAll();
          }
        }
      } catch (IOException e) {
        // the process ended
      } finally {
        logOut.close();
        synchronized (lines) {
          lines.notifyAll();
        }
      }
    }, "output-of-" + name);
    reader.setDaemon(true);
    reader.start();
  }

  static ChildJvm start(String name, List<String> command, Path workDir, Map<String, String> env)
      throws IOException {
    Path logs = Path.of("target", "it-logs");
    Files.createDirectories(logs);
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    if (workDir != null) {
      pb.directory(workDir.toFile());
    }
    pb.environment().putAll(env);
    return new ChildJvm(name, pb.start(), logs.resolve(name + ".log"));
  }

  /** Waits for an output line matching {@code pattern} (one printed earlier counts) and returns its match. */
  Matcher awaitLine(Pattern pattern, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int seen = 0;
    synchronized (lines) {
      while (true) {
        for (; seen < lines.size(); seen++) {
          Matcher m = pattern.matcher(lines.get(seen));
          if (m.find()) {
            return m;
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0 || (!process.isAlive() && seen == lines.size() && readerDone())) {
          throw new AssertionError(name + " did not print a line matching /" + pattern + "/ within " + timeout
              + (process.isAlive() ? "" : " (it exited with " + process.exitValue() + ")")
              + "; its output:\n" + String.join("\n", lines));
        }
        lines.wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 500)));
      }
    }
  }

  /** Counts output lines matching {@code pattern} so far. */
  long countLines(Pattern pattern) {
    synchronized (lines) {
      return lines.stream().filter(l -> pattern.matcher(l).find()).count();
    }
  }

  private boolean readerDone() {
    return !process.isAlive();
  }

  /** Asks the JVM to stop, as Ctrl-C or {@code kill} (SIGTERM) would: its shutdown hooks run. */
  void terminate() {
    process.destroy();
  }

  /**
   * Kills the JVM at once, as {@code kill -9} does (on Unix {@link Process#destroyForcibly()} sends SIGKILL): no
   * shutdown hook runs and nothing is sent to its peers; only the kernel closes its sockets.
   */
  void kill() {
    process.destroyForcibly();
  }

  boolean hasExited() {
    return !process.isAlive();
  }

  /** The process id of the JVM. */
  long pid() {
    return process.pid();
  }

  /** Waits for the process to exit and returns its status. */
  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError(name + " did not exit within " + timeout + "; output:\n" + output());
    }
    return process.exitValue();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  String output() {
    synchronized (lines) {
      return String.join("\n", lines);
    }
  }

  @Override
  public void close() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
