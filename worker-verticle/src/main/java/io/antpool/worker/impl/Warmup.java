package io.antpool.worker.impl;

import io.antpool.SerializableCallable;
import io.antpool.protocol.Dispatch;
import io.antpool.protocol.Fetch;
import io.antpool.protocol.FetchReply;
import io.antpool.protocol.Frame;
import io.antpool.protocol.TaskKind;
import io.antpool.protocol.impl.FrameCodec;
import io.antpool.task.ContentHash;
import io.antpool.task.TaskCodec;
import io.antpool.task.impl.ClassFileSample;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * Runs the task path once inside this JVM at start — frame codec, a serialized lambda decoded in a task class
 * loader, a class defined from bytes, the result encoded — so a worker's first real task does not pay for
 * the JVM's and the libraries' first-use work. Once per JVM; never throws.
 */
public final class Warmup {
  private static final int WARM_ROUNDS = 300;
  private static final int FETCH_SAMPLE = 150;
  private static boolean done;

  private Warmup() {
  }

  public static synchronized void once() {
    if (done) {
      return;
    }
    done = true;
    try {
      FrameCodec.warmUp(WARM_ROUNDS);
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
      warmFetchPath(resources);
    } catch (Exception | LinkageError e) {
      // only a warm-up: the first real task pays instead
    }
  }

  /**
   * The class-fetch path, which a pool runs only when a session meets classes it has not seen: a class asked
   * for, the request framed, the answer decoded, checked against its digest, stored and defined, for
   * {@value #FETCH_SAMPLE} real class files, with this JVM's class path in place of a client. Enough for the
   * JIT to compile the path, so a worker's first sessions do not fetch through interpreted code.
   */
  private static void warmFetchPath(SessionResources resources) throws ClassNotFoundException {
    SessionResources.Fetcher viaFrames = (session, loader, path, known) -> {
      Frame.of(new Fetch(1, session, path, loader, known)).encode();
      byte[] bytes = read(path);
      Frame reply = bytes == null ? Frame.of(new FetchReply(1, false, null))
          : Frame.of(new FetchReply(1, true, null, ContentHash.sha256(bytes)), bytes);
      return FetchResults.bytesOf(FrameCodec.decode(reply.encode()), path);
    };
    List<String> sample = ClassFileSample.of(Warmup.class.getClassLoader(), "com/fasterxml/jackson/core/",
        FETCH_SAMPLE);
    for (int i = 0; i < sample.size(); i++) {
      String path = sample.get(i);
      ClassLoader loader = resources.loaderFor("warm-up-fetch", 0, 1, i, viaFrames);
      loader.loadClass(path.substring(0, path.length() - ".class".length()).replace('/', '.'));
    }
    resources.forget("warm-up-fetch");
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
