package io.antpool.task.impl;

/**
 * The major version of a class file (bytes 6 and 7, after the {@code CAFEBABE} magic and the minor version)
 * and the Java release it stands for: Java N writes major version N + 44 (Java 17: 61, Java 21: 65).
 */
public final class ClassFileVersion {
  /** Major version minus this is the Java release (valid from Java 5, major 49). */
  public static final int JAVA_OFFSET = 44;

  private ClassFileVersion() {
  }

  /** The major version of a class file, or -1 when the bytes do not start like one. */
  public static int major(byte[] classFile) {
    if (classFile == null || classFile.length < 8 || (classFile[0] & 0xff) != 0xca || (classFile[1] & 0xff) != 0xfe
        || (classFile[2] & 0xff) != 0xba || (classFile[3] & 0xff) != 0xbe) {
      return -1;
    }
    return (classFile[6] & 0xff) << 8 | (classFile[7] & 0xff);
  }

  /** The highest major version the running JVM defines. */
  public static int runtimeMajor() {
    return Runtime.version().feature() + JAVA_OFFSET;
  }

  /**
   * The message for a class too new for the running JVM, e.g. {@code class com.x.NewJava was compiled for
   * Java 21 (class file version 65) but this worker runs Java 17 (class file version 61): run the worker on
   * Java 21 or newer, or compile with --release 17}.
   */
  public static String tooNewMessage(String className, int classMajor, int runtimeFeature) {
    int classJava = classMajor - JAVA_OFFSET;
    return "class " + className + " was compiled for Java " + classJava + " (class file version " + classMajor
        + ") but this worker runs Java " + runtimeFeature + " (class file version " + (runtimeFeature + JAVA_OFFSET)
        + "): run the worker on Java " + classJava + " or newer, or compile with --release " + runtimeFeature;
  }
}
