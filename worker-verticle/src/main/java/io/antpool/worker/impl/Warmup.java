package io.antpool.worker.impl;

import io.antpool.SerializableCallable;
import io.antpool.protocol.Dispatch;
import io.antpool.protocol.TaskKind;
import io.antpool.protocol.impl.FrameCodec;
import io.antpool.task.TaskCodec;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.InputStream;

/**
 * Runs the task path once inside this JVM at start — frame codec, a serialized lambda decoded in a task class
 * loader, a class defined from bytes, the result encoded — so a worker's first real task does not pay for
 * the JVM's and the libraries' first-use work. Once per JVM; never throws.
 */
public final class Warmup {
  private static boolean done;

  private Warmup() {
  }

  public static synchronized void once() {
    if (done) {
      return;
    }
    done = true;
    try {
      FrameCodec.warmUp();
      SessionResources resources = new SessionResources();
      TaskRunner runner = new TaskRunner(resources, Warmup::ownClassPath, "warm-up");
      int seed = 20;
      SerializableCallable<Integer> task = () -> seed + 22;
      runner.run(new Dispatch(0, "warm-up", TaskKind.CALLABLE, 0, 1, 0),
          Buffer.buffer(TaskCodec.encodeTask(task)));
      // a class defined from bytes, as every fetched class is
      new io.antpool.task.TaskClassLoader("warm-up", path -> read(path))
          .loadClass("com.fasterxml.jackson.core.Version");
      resources.forget("warm-up");
    } catch (Exception | LinkageError e) {
      // only a warm-up: the first real task pays instead
    }
  }

  private static SessionResources.Fetched ownClassPath(String session, int loader, String path,
      java.util.List<String> known) throws IOException {
    return SessionResources.Fetched.of(read(path));
  }

  private static byte[] read(String path) throws IOException {
    try (InputStream in = Warmup.class.getClassLoader().getResourceAsStream(path)) {
      return in == null ? null : in.readAllBytes();
    }
  }
}
