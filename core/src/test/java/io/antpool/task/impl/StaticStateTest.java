package io.antpool.task.impl;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.antpool.SerializableCallable;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link StaticState} reads from a class file whether the class can carry state from one use to the next. */
class StaticStateTest {
  private static byte[] bytesOf(Class<?> type) throws IOException {
    String file = type.getName().substring(type.getName().lastIndexOf('.') + 1) + ".class";
    try (InputStream in = type.getResourceAsStream(file)) {
      return in.readAllBytes();
    }
  }

  private static boolean stateless(Class<?> type) throws IOException {
    return StaticState.isStateless(bytesOf(type));
  }

  /** Constants, instance fields, methods and lambdas: nothing that outlives a use. */
  static final class Constants {
    static final int ANSWER = 42;
    static final String NAME = "antpool";
    static final double RATIO = 0.5;
    static final long BIG = Long.MAX_VALUE;
    private final Map<String, Integer> counts = Map.of();

    int answer() {
      return ANSWER + counts.size();
    }

    static SerializableCallable<String> task(int x) {
      return () -> NAME + x * RATIO + BIG;
    }
  }

  interface WithConstant {
    int LIMIT = 10;

    default int limit() {
      return LIMIT;
    }
  }

  record Point(int x, int y) {
  }

  static final class MutableStatic {
    static int count;
  }

  static final class FinalButNotConstant {
    static final List<String> NAMES = List.of("a");
  }

  static final class InitializerOnly {
    static {
      System.getProperty("antpool.test");
    }
  }

  enum Colour { RED, GREEN }

  @Test
  void classesWithOnlyConstantsInstanceStateAndMethodsAreStateless() throws IOException {
    assertTrue(stateless(Constants.class));
    assertTrue(stateless(WithConstant.class));
    assertTrue(stateless(Point.class));
    assertTrue(stateless(StaticStateTest.class), "this test class: methods only");
  }

  @Test
  void aStaticFieldThatIsNotAConstantOrAStaticInitializerIsState() throws IOException {
    assertFalse(stateless(MutableStatic.class));
    assertFalse(stateless(FinalButNotConstant.class));
    assertFalse(stateless(InitializerOnly.class), "its initializer would run again in a fresh loader");
    assertFalse(stateless(Colour.class), "an enum's constants are static fields set by its initializer");
  }

  @Test
  void bytesThatAreNotAClassFileCountAsState() throws IOException {
    byte[] real = bytesOf(Constants.class);
    assertFalse(StaticState.isStateless(new byte[0]));
    assertFalse(StaticState.isStateless("not a class".getBytes()));
    assertFalse(StaticState.isStateless(java.util.Arrays.copyOf(real, real.length / 2)), "truncated");
  }
}
