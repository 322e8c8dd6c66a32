package io.antpool.it.contract;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.TimeUnit;

/**
 * Files as events between the test JVM and tasks in worker JVMs on the same machine: waiting for a file is woken
 * by the file system's own notification of its creation (inotify on Linux), not by polling, and a file with
 * content appears whole.
 */
public final class FileEvents {
  private FileEvents() {
  }

  /**
   * Waits until {@code file} exists, at most {@code millis}; interruptible.
   *
   * @return whether it appeared in time
   */
  public static boolean await(Path file, long millis) throws InterruptedException, IOException {
    if (Files.exists(file)) {
      return true;
    }
    Path dir = file.toAbsolutePath().getParent();
    try (WatchService watch = dir.getFileSystem().newWatchService()) {
      dir.register(watch, StandardWatchEventKinds.ENTRY_CREATE);
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
      while (!Files.exists(file)) { // checked after registering, so a creation in between is not missed
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        WatchKey key = watch.poll(left, TimeUnit.NANOSECONDS);
        if (key != null) {
          key.pollEvents();
          key.reset();
        }
      }
      return true;
    }
  }

  /** Writes {@code text} to {@code file} so that a reader who sees the file sees all of it. */
  public static void writeWhole(Path file, String text) throws IOException {
    Path partial = file.resolveSibling(file.getFileName() + ".partial");
    Files.writeString(partial, text);
    try {
      Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
