package io.antpool.bench;

/** Command-line helpers shared by the benchmarks' mains. */
final class BenchArgs {
  private BenchArgs() {
  }

  /**
   * The positive whole number at {@code args[i]}, the value of the option at {@code args[i - 1]}.
   *
   * @throws IllegalArgumentException naming the option when the value is missing, not a number, or not positive
   */
  static int positive(String[] args, int i) {
    String option = args[i - 1];
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a number");
    }
    try {
      int value = Integer.parseInt(args[i]);
      if (value > 0) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(option + " needs a positive whole number, not " + args[i]);
  }
}
