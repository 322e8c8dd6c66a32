package io.antpool.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code java -jar antpool.jar ...} child process. A reader thread drains its output (standard error
 * merged in, so the child can never block on a full pipe), keeps the last lines for error messages, and
 * completes {@link #ready} on the first line that matches the ready pattern, or fails it if the process ends
 * first. {@link #close()} stops the process, politely and then forcibly, and may be called any number of times
 * from any thread.
 */
final class ChildJvm implements AutoCloseable {
  private static final int KEPT_LINES = 40;
  private static final long GRACE_SECONDS = 10;

  private final String label;
  private final Process process;
  private final CompletableFuture<Matcher> ready = new CompletableFuture<>();
  private final Deque<String> lastLines = new ArrayDeque<>();

  private ChildJvm(String label, Process process) {
    this.label = label;
    this.process = process;
  }

  /**
   * Starts {@code java [jvmArgs] -jar jar args} in {@code workDir} with this JVM's {@code java.home}.
   *
   * @param echo whether to copy the child's output to this JVM's standard error, prefixed with the label
   */
  static ChildJvm start(String label, Path jar, Path workDir, List<String> args, Pattern readyLine, boolean echo)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(javaExecutable().toString());
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(args);
    Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
    process.getOutputStream().close();
    ChildJvm child = new ChildJvm(label, process);
    Thread reader = new Thread(() -> child.drain(readyLine, echo), "bench-" + label + "-output");
    reader.setDaemon(true);
    reader.start();
    return child;
  }

  private static Path javaExecutable() {
    Path bin = Path.of(System.getProperty("java.home"), "bin");
    Path windows = bin.resolve("java.exe");
    return Files.isRegularFile(windows) ? windows : bin.resolve("java");
  }

  private void drain(Pattern readyLine, boolean echo) {
    try (BufferedReader in = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        synchronized (lastLines) {
          if (lastLines.size() == KEPT_LINES) {
            lastLines.removeFirst();
          }
          lastLines.addLast(line);
        }
        if (echo) {
          System.err.println("[" + label + "] " + line);
        }
        if (!ready.isDone()) {
          Matcher m = readyLine.matcher(line);
          if (m.find()) {
            ready.complete(m);
          }
        }
      }
    } catch (IOException e) {
      // the stream closes when the process is destroyed; the exit below says what happened
    }
    String why = label + " (pid " + process.pid() + ") ended before it was ready";
    try {
      why += ", exit code " + process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    ready.completeExceptionally(new IllegalStateException(why + "; its last output:\n" + lastOutput()));
  }

  /**
   * Waits for the ready line.
   *
   * @return the match of the ready pattern
   * @throws IllegalStateException if the process ended first or {@code timeout} passed, with its last output
   */
  Matcher awaitReady(Duration timeout) throws InterruptedException {
    try {
      return ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException(label + " (pid " + process.pid() + ") printed no ready line within "
          + timeout.toSeconds() + " s; its last output:\n" + lastOutput());
    } catch (ExecutionException e) {
      throw (IllegalStateException) e.getCause();
    }
  }

  String label() {
    return label;
  }

  long pid() {
    return process.pid();
  }

  /** CPU time the process has used so far, in nanoseconds (0 where the system does not tell). */
  long cpuNanos() {
    return CpuUse.nanos(process.toHandle());
  }

  String lastOutput() {
    synchronized (lastLines) {
      return lastLines.isEmpty() ? "  (nothing)" : "  " + String.join("\n  ", lastLines);
    }
  }

  /** Asks the process to stop (its shutdown hooks run); see {@link #close()} for the wait. */
  void requestStop() {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
  }

  /** Stops the process: a polite request, then, after {@value #GRACE_SECONDS} s, a forced kill. */
  @Override
  public void close() {
    requestStop();
    try {
      if (!process.waitFor(GRACE_SECONDS, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(GRACE_SECONDS, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
