package io.antpool.bench;

import java.time.Duration;

/**
 * The command line of {@link FoundationBench}: plain data, parsed once. Every knob has a default that keeps a
 * whole run to about a minute on a laptop.
 *
 * @param reps repetitions of each cheap measurement (throughput, round trip); the report shows their median
 * @param cpuReps repetitions of each CPU-bound job (expensive: about {@code cpuTasks * taskDuration} serially)
 * @param cpuTasks tasks in the CPU-bound job
 * @param taskDuration what one CPU-bound task should take on this machine (calibrated in the harness)
 * @param window tasks kept in flight by the throughput measurement
 * @param verbose copy the server's and workers' output to standard error
 * @param help print the usage and exit
 */
record BenchSettings(int reps, int cpuReps, int cpuTasks, Duration taskDuration, int window, boolean verbose,
    boolean help) {

  static final String USAGE = String.join("\n",
      "usage: bench/run [options]",
      "  --reps N        repetitions of throughput and round-trip measurements (default 3; median shown)",
      "  --cpu-reps N    repetitions of each CPU-bound job (default 1)",
      "  --cpu-tasks N   tasks in the CPU-bound job (default 20)",
      "  --task-ms N     target duration of one CPU-bound task in ms (default 500)",
      "  --window N      tasks in flight for the throughput measurement (default 64)",
      "  --verbose       show the server's and workers' output on standard error",
      "  --help          this text",
      "system property (through BENCH_JAVA_OPTS with bench/run):",
      "  -Dantpool.jar=PATH   the antpool.jar to start the server and workers from",
      "                       (default: dist/target/antpool.jar of this project)");

  /**
   * Parses the arguments; those not given keep their defaults.
   *
   * @throws IllegalArgumentException naming the argument at fault
   */
  static BenchSettings parse(String... args) {
    int reps = 3;
    int cpuReps = 1;
    int cpuTasks = 20;
    int taskMillis = 500;
    int window = 64;
    boolean verbose = false;
    boolean help = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--verbose", "-v" -> verbose = true;
        case "--help", "-h" -> help = true;
        case "--reps" -> reps = count(args, ++i, arg, 1, 50);
        case "--cpu-reps" -> cpuReps = count(args, ++i, arg, 1, 10);
        case "--cpu-tasks" -> cpuTasks = count(args, ++i, arg, 1, 1000);
        case "--task-ms" -> taskMillis = count(args, ++i, arg, 1, 10_000);
        case "--window" -> window = count(args, ++i, arg, 1, 10_000);
        default -> throw new IllegalArgumentException("unknown argument \"" + arg + "\"");
      }
    }
    return new BenchSettings(reps, cpuReps, cpuTasks, Duration.ofMillis(taskMillis), window, verbose, help);
  }

  /**
   * The number after option {@code args[i - 1]}, which must lie in {@code [min, max]}.
   *
   * @throws IllegalArgumentException naming the option and the range
   */
  static int count(String[] args, int i, String option, int min, int max) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a number between " + min + " and " + max);
    }
    try {
      int n = Integer.parseInt(args[i]);
      if (n < min || n > max) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " needs a number between " + min + " and " + max + ", got \""
          + args[i] + "\"");
    }
  }
}
