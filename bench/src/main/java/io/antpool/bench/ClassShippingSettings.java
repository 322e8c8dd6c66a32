package io.antpool.bench;

import java.nio.file.Path;

/**
 * The command line of {@link ClassShippingBench}: plain data, parsed once. The defaults keep a whole run to about
 * two minutes on a laptop.
 *
 * @param coldStarts fresh pools started for each kind of cold first task (the report shows each and their median)
 * @param reps repetitions of each warm measurement (round trip, throughput); the report shows their median
 * @param window tasks kept in flight by the throughput measurement
 * @param profileDir where to write flight recordings of the workers during extra rtype 0 and rtype 2 windows, and
 *     then print their hot spots; null for no profiling
 * @param verbose copy the server's and workers' output to standard error
 * @param help print the usage and exit
 */
record ClassShippingSettings(int coldStarts, int reps, int window, Path profileDir, boolean verbose,
    boolean help) {

  static final String USAGE = String.join("\n",
      "usage: bench/run-class-shipping [options]",
      "  --cold N        fresh server + worker JVMs per kind of cold first task (default 5; median shown)",
      "  --reps N        repetitions of the warm round-trip and throughput measurements (default 3)",
      "  --window N      tasks in flight for the throughput measurement (default 64)",
      "  --jfr DIR       also record the workers with Java Flight Recorder during an extra rtype 0 and rtype 2",
      "                  window, write DIR/*.jfr and print the hot spots (adds about 20 s)",
      "  --verbose       show the server's and workers' output on standard error",
      "  --help          this text",
      "system property (through BENCH_JAVA_OPTS):",
      "  -Dantpool.jar=PATH   the antpool.jar to start the server and workers from",
      "                       (default: dist/target/antpool.jar of this project)");

  /**
   * Parses the arguments; those not given keep their defaults.
   *
   * @throws IllegalArgumentException naming the argument at fault
   */
  static ClassShippingSettings parse(String... args) {
    int coldStarts = 5;
    int reps = 3;
    int window = 64;
    Path profileDir = null;
    boolean verbose = false;
    boolean help = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--verbose", "-v" -> verbose = true;
        case "--help", "-h" -> help = true;
        case "--cold" -> coldStarts = BenchSettings.count(args, ++i, arg, 1, 20);
        case "--reps" -> reps = BenchSettings.count(args, ++i, arg, 1, 20);
        case "--window" -> window = BenchSettings.count(args, ++i, arg, 1, 10_000);
        case "--jfr" -> {
          if (++i >= args.length) {
            throw new IllegalArgumentException("--jfr needs a folder for the recordings");
          }
          profileDir = Path.of(args[i]).toAbsolutePath().normalize();
        }
        default -> throw new IllegalArgumentException("unknown argument \"" + arg + "\"");
      }
    }
    return new ClassShippingSettings(coldStarts, reps, window, profileDir, verbose, help);
  }
}
