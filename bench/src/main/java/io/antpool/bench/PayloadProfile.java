package io.antpool.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the time and the copies of a large result go, for {@code bench/run-payload --jfr DIR}: Java Flight
 * Recorder on the server, the worker and the harness (the client) at once, with JFR's {@code profile} settings
 * plus every allocation outside a thread-local buffer (every large array: each one is a copy of the payload, or
 * room for one), then a summary per JVM of the largest allocation sites and of the execution samples.
 */
final class PayloadProfile {
  /** Allocations from this size up are counted in the summary: payload-sized, not bookkeeping. */
  private static final long LARGE = 256 * 1024;
  private static final int FRAMES = 4;
  private static final Pattern BUFFER_MACHINERY = Pattern.compile("io\\.netty\\.(buffer|util)\\.|io\\.vertx\\.core\\."
      + "(buffer|impl\\.buffer|internal\\.buffer)\\.|java\\.util\\.Arrays$|java\\.lang\\.reflect\\.Array$");
  private static final int TOP = 8;
  private static final String NAME = "antpool-payload";

  private final Path dir;
  private final Path settings;
  private final List<ChildJvm> children;
  private Recording harness;

  /**
   * @param dir where the recordings go ({@code server.jfr}, {@code worker.jfr}, {@code harness.jfr})
   * @param children the server and the worker, in that order
   */
  PayloadProfile(Path dir, List<ChildJvm> children) throws IOException {
    this.dir = Files.createDirectories(dir.toAbsolutePath());
    this.children = children;
    this.settings = this.dir.resolve("payload.jfc");
    Path profile = Path.of(System.getProperty("java.home"), "lib", "jfr", "profile.jfc");
    String jfc = Files.readString(profile, StandardCharsets.UTF_8);
    Matcher outside = Pattern.compile("(<event name=\"jdk.ObjectAllocationOutsideTLAB\">\\s*<setting name=\"enabled\""
        + "[^>]*>)false").matcher(jfc);
    if (!outside.find()) {
      throw new IllegalStateException(profile + " has no jdk.ObjectAllocationOutsideTLAB setting to enable");
    }
    Files.writeString(settings, outside.replaceFirst("$1true"), StandardCharsets.UTF_8);
  }

  void start() throws Exception {
    for (ChildJvm child : children) {
      child.jcmd("JFR.start", "name=" + NAME, "settings=" + settings);
    }
    harness = new Recording(Configuration.create(settings));
    harness.start();
  }

  /** Stops every recording, writes them to the folder and prints the summary, per task of {@code tasks}. */
  void stopAndSummarise(int tasks, PrintStream out) throws Exception {
    harness.stop();
    Path own = dir.resolve("harness.jfr");
    harness.dump(own);
    harness.close();
    List<Path> files = new java.util.ArrayList<>();
    for (ChildJvm child : children) {
      Path file = dir.resolve(child.label().replaceAll("-\\d+$", "") + ".jfr");
      child.jcmd("JFR.stop", "name=" + NAME, "filename=" + file);
      files.add(file);
    }
    files.add(own);
    for (Path file : files) {
      summarise(file, tasks, out);
    }
  }

  private static void summarise(Path file, int tasks, PrintStream out) throws IOException {
    Map<String, long[]> allocations = new HashMap<>();
    Map<String, Integer> selfSamples = new HashMap<>();
    Map<String, Integer> antPoolSamples = new HashMap<>();
    int samples = 0;
    for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
      String type = e.getEventType().getName();
      if (type.equals("jdk.ObjectAllocationOutsideTLAB") && e.getLong("allocationSize") >= LARGE) {
        String allocated = e.getClass("objectClass").getName();
        String site = (allocated.equals("[B") ? "byte[]" : allocated) + " at " + callers(e.getStackTrace());
        long[] sum = allocations.computeIfAbsent(site, s -> new long[2]);
        sum[0] += e.getLong("allocationSize");
        sum[1]++;
      } else if (type.equals("jdk.ExecutionSample") && e.getStackTrace() != null
          && !e.getStackTrace().getFrames().isEmpty()) {
        samples++;
        selfSamples.merge(frames(e.getStackTrace(), 1), 1, Integer::sum);
        e.getStackTrace().getFrames().stream().filter(f -> f.getMethod().getType().getName().startsWith("io.antpool"))
            .findFirst().ifPresent(f -> antPoolSamples.merge(frame(f), 1, Integer::sum));
      }
    }
    out.printf(Locale.ROOT, "%n%s: allocations of %d KiB or more, per task (MiB, count), by site:%n", file,
        LARGE / 1024);
    long total = allocations.values().stream().mapToLong(a -> a[0]).sum();
    allocations.entrySet().stream().filter(a -> a.getValue()[0] >= LARGE * tasks) // JFR's own tables: not payload
        .sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0])).limit(TOP)
        .forEach(a -> out.printf(Locale.ROOT, "  %7.1f MiB %5.1f x  %s%n", a.getValue()[0] / 1048576.0 / tasks,
            (double) a.getValue()[1] / tasks, a.getKey()));
    out.printf(Locale.ROOT, "  %7.1f MiB in all per task%n", total / 1048576.0 / tasks);
    out.printf(Locale.ROOT, "  execution samples: %d; most often on top:%n", samples);
    top(selfSamples, samples, out);
    out.println("  innermost AntPool frame on the stack (the AntPool code the sample's time belongs to):");
    top(antPoolSamples, samples, out);
  }

  private static void top(Map<String, Integer> counts, int all, PrintStream out) {
    counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(TOP)
        .forEach(c -> out.printf(Locale.ROOT, "  %5.1f%%  %s%n", 100.0 * c.getValue() / Math.max(1, all),
            c.getKey()));
  }

  private static String frames(RecordedStackTrace stack, int n) {
    if (stack == null) {
      return "(no stack)";
    }
    return stack.getFrames().stream().limit(n).map(PayloadProfile::frame).collect(Collectors.joining(" < "));
  }

  /**
   * The first {@value #FRAMES} frames of an allocation's stack that are not buffer machinery (Netty's and Vert.x's
   * buffers, {@code Arrays.copyOf}): the code that asked for the bytes.
   */
  private static String callers(RecordedStackTrace stack) {
    if (stack == null) {
      return "(no stack)";
    }
    return stack.getFrames().stream().filter(f -> !BUFFER_MACHINERY.matcher(f.getMethod().getType().getName())
        .lookingAt()).limit(FRAMES).map(PayloadProfile::frame).collect(Collectors.joining(" < "));
  }

  private static String frame(RecordedFrame f) {
    String type = f.getMethod().getType().getName();
    return type.substring(type.lastIndexOf('.') + 1) + "." + f.getMethod().getName() + ":" + f.getLineNumber();
  }
}
