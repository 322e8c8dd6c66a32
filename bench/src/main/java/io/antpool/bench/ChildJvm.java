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
import java.util.function.Consumer;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code java -jar antpool.jar ...} child process. A reader thread drains its output (standard error
 * merged in, so the child can never block on a full pipe), keeps the last lines for error messages, and
 * completes {@link #ready} on the first line that matches the ready pattern, or fails it if the process ends
 * first. {@link #close()} stops the process, politely and then forcibly, waits until its last line has been
 * read, and may be called any number of times from any thread.
 */
final class ChildJvm implements AutoCloseable {
  private static final int KEPT_LINES = 40;
  private static final long GRACE_SECONDS = 10;
  /**
   * The line in which a child names its network transport: AntPool's launchers print
   * {@code AntPool network transport: NAME}, the raw baselines end their ready line with {@code , transport NAME}.
   */
  private static final Pattern TRANSPORT = Pattern.compile("(?:^AntPool network transport: |, transport )(.+)$");

  private final String label;
  private final Process process;
  private final CompletableFuture<Matcher> ready = new CompletableFuture<>();
  private final Deque<String> lastLines = new ArrayDeque<>();
  private final CompletableFuture<Void> drained = new CompletableFuture<>();
  private volatile Consumer<String> listener = line -> { };
  private volatile String transport = "unknown";

  private ChildJvm(String label, Process process) {
    this.label = label;
    this.process = process;
  }

  /**
   * Starts {@code java [jvmArgs] -jar jar args} in {@code workDir} with this JVM's {@code java.home}.
   *
   * @param jvmArgs options for the child JVM itself (before {@code -jar}), e.g. {@code -Xlog:...}
   * @param echo whether to copy the child's output to this JVM's standard error, prefixed with the label
   */
  static ChildJvm start(String label, Path jar, Path workDir, List<String> jvmArgs, List<String> args,
      Pattern readyLine, boolean echo) throws IOException {
    List<String> launch = new ArrayList<>(jvmArgs);
    launch.add("-jar");
    launch.add(jar.toString());
    launch.addAll(args);
    return launch(label, workDir, launch, readyLine, echo);
  }

  /** Starts {@code java -cp classPath mainClass args} in {@code workDir}; see the other form. */
  static ChildJvm startMain(String label, String classPath, String mainClass, Path workDir, List<String> args,
      Pattern readyLine, boolean echo) throws IOException {
    return startMain(label, List.of(), classPath, mainClass, workDir, args, readyLine, echo);
  }

  /** Starts {@code java [jvmArgs] -cp classPath mainClass args} in {@code workDir}; see {@link #start}. */
  static ChildJvm startMain(String label, List<String> jvmArgs, String classPath, String mainClass, Path workDir,
      List<String> args, Pattern readyLine, boolean echo) throws IOException {
    List<String> launch = new ArrayList<>(jvmArgs);
    launch.addAll(List.of("-cp", classPath, mainClass));
    launch.addAll(args);
    return launch(label, workDir, launch, readyLine, echo);
  }

  private static ChildJvm launch(String label, Path workDir, List<String> javaArgs, Pattern readyLine, boolean echo)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(javaExecutable().toString());
    command.addAll(javaArgs);
    Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
    process.getOutputStream().close();
    ChildJvm child = new ChildJvm(label, process);
    Thread reader = new Thread(() -> child.drain(readyLine, echo), "bench-" + label + "-output");
    reader.setDaemon(true);
    reader.start();
    return child;
  }

  private static Path javaExecutable() {
    return jdkTool("java");
  }

  /** A tool of this JVM's JDK ({@code java}, {@code jcmd}), with {@code .exe} where the system wants it. */
  static Path jdkTool(String name) {
    Path bin = Path.of(System.getProperty("java.home"), "bin");
    Path windows = bin.resolve(name + ".exe");
    return Files.isRegularFile(windows) ? windows : bin.resolve(name);
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
        listener.accept(line);
        if (!ready.isDone()) {
          Matcher t = TRANSPORT.matcher(line);
          if (t.find()) {
            transport = t.group(1);
          }
          Matcher m = readyLine.matcher(line);
          if (m.find()) {
            ready.complete(m);
          }
        }
      }
    } catch (IOException e) {
      // the stream closes when the process is destroyed; the exit below says what happened
    } finally {
      drained.complete(null);
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

  /**
   * Hands every line the child prints from now on to {@code listener}, on the thread that reads its output.
   * Lines printed before this call (the start-up) are not replayed. {@link #close()} returns only after the
   * last line has been handed over.
   */
  void listen(Consumer<String> listener) {
    this.listener = listener;
  }

  /** Whether the ready line has been printed. */
  boolean isReady() {
    return ready.isDone() && !ready.isCompletedExceptionally();
  }

  /** Whether the process is still running. */
  boolean isAlive() {
    return process.isAlive();
  }

  String label() {
    return label;
  }

  long pid() {
    return process.pid();
  }

  /** The network transport the child said it runs on before it was ready, or {@code unknown}. */
  String transport() {
    return transport;
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

  /**
   * Runs a diagnostic command in the child with this JDK's {@code jcmd} ({@code JFR.start ...},
   * {@code PerfCounter.print}) and returns its answer.
   *
   * @throws IllegalStateException with the answer if {@code jcmd} failed, or if it took more than
   *     {@value #GRACE_SECONDS} s
   */
  String jcmd(String... command) throws IOException, InterruptedException {
    List<String> line = new ArrayList<>();
    line.add(jdkTool("jcmd").toString());
    line.add(Long.toString(process.pid()));
    line.addAll(List.of(command));
    // the answer goes to a file, so a long one cannot block jcmd on a full pipe while this thread waits
    Path output = Files.createTempFile("antpool-bench-jcmd-", ".txt");
    try {
      Process p = new ProcessBuilder(line).redirectErrorStream(true).redirectOutput(output.toFile()).start();
      p.getOutputStream().close();
      if (!p.waitFor(GRACE_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(String.join(" ", line) + " did not answer within " + GRACE_SECONDS + " s");
      }
      String answer = Files.readString(output, StandardCharsets.UTF_8).trim();
      if (p.exitValue() != 0 || answer.contains("Could not") || answer.contains("Exception")) {
        throw new IllegalStateException(String.join(" ", line) + " failed (exit " + p.exitValue() + "): "
            + answer);
      }
      return answer;
    } finally {
      Files.deleteIfExists(output);
    }
  }

  /**
   * Kills the process as {@code kill -9} does (SIGKILL on Unix: no shutdown hook runs) and waits for it to end.
   *
   * @return its exit status, 137 (128 + 9) for a JVM killed so
   */
  int kill(Duration timeout) throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException(label + " (pid " + process.pid() + ") was still alive " + timeout.toSeconds()
          + " s after SIGKILL");
    }
    return process.exitValue();
  }

  /** Asks the process to stop (its shutdown hooks run); see {@link #close()} for the wait. */
  void requestStop() {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
  }

  /**
   * Stops the process: a polite request, then, after {@value #GRACE_SECONDS} s, a forced kill; then waits (as
   * long again at most) until the reader has read its last line.
   */
  @Override
  public void close() {
    requestStop();
    try {
      if (!process.waitFor(GRACE_SECONDS, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(GRACE_SECONDS, TimeUnit.SECONDS);
      }
      drained.get(GRACE_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      // the output pipe stayed open (a grandchild holds it); the lines read so far are all there is
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
