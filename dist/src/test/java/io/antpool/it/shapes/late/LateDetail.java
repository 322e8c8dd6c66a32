package io.antpool.it.shapes.late;

/** Reached only through {@link LateHelper}: loaded transitively, one step further into the run. */
final class LateDetail {
  private LateDetail() {
  }

  static long square(int n) {
    return (long) n * n;
  }
}
