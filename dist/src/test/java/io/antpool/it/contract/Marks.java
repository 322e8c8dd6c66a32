package io.antpool.it.contract;

import io.antpool.SerializableCallable;
import io.antpool.SerializableRunnable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Paths;

/** Tasks that leave a file behind when they run: evidence, visible to the test, that a task ran (or not). */
public final class Marks {
  private Marks() {
  }

  /** Creates the file {@code path}. */
  public static SerializableRunnable touch(String path) {
    return () -> {
      try {
        Files.createFile(Paths.get(path));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };
  }

  /** Creates the file {@code path}, then returns {@code value}. */
  public static SerializableCallable<String> touchAndReturn(String path, String value) {
    return () -> {
      touch(path).run();
      return value;
    };
  }
}
