package io.antpool.it.shapes.late;

/** Referenced only inside the branch of {@link LateLoadingTask#call()} taken for large n. */
final class LateHelper {
  String describe(int n) {
    return n + " squared is " + LateDetail.square(n) + " in " + getClass().getClassLoader().getName();
  }
}
