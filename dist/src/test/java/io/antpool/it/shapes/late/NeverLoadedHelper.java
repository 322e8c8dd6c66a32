package io.antpool.it.shapes.late;

/** Referenced only inside the branch of {@link LateLoadingTask#call()} that the test never takes. */
final class NeverLoadedHelper {
  String describe(int n) {
    return "small " + n;
  }
}
