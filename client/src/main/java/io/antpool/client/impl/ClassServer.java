package io.antpool.client.impl;

import io.antpool.protocol.Fetch;
import io.antpool.protocol.FetchReply;
import io.antpool.protocol.Frame;
import io.antpool.protocol.impl.FrameCodec;
import io.antpool.task.ContentHash;
import io.antpool.task.impl.ClassFileSample;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Answers workers' requests for classes and resources from this client's class path. The class loaders of
 * submitted tasks are numbered (0 is the loader the client was created with); a request names the loader of
 * its task, so two loaders holding different versions of a class are never mixed up.
 *
 * <p>Each answer carries the SHA-256 digest of the bytes. When the worker already holds that version (the
 * request lists the digests it has) the bytes are left out.
 */
final class ClassServer {
  private final List<ClassLoader> loaders = new ArrayList<>();
  private final Map<ClassLoader, Integer> ids = new IdentityHashMap<>();
  /** Digest per loader and path: class path contents do not change while a loader lives. */
  private final Map<String, String> digests = new ConcurrentHashMap<>();

  /** What to send back for one request. */
  record Answer(byte[] bytes, String sha256, boolean omitted) {
    static final Answer NOT_FOUND = new Answer(null, null, false);

    boolean found() {
      return sha256 != null;
    }
  }

  ClassServer(ClassLoader initial) {
    idOf(initial);
  }

  private static final int WARM_ROUNDS = 300;
  private static final int FETCH_SAMPLE = 150;
  private static boolean warm;

  /**
   * Once per JVM: the frame codec for every message type, then the answer to a fetch (request decoded,
   * bytes read and hashed, reply framed) for {@value #FETCH_SAMPLE} class files of this JVM's class path, often
   * enough for the JIT to compile the path. A client answers fetches only when a worker meets classes it has
   * not seen, so without this its first sessions would answer them in interpreted code, a few milliseconds
   * per class. Best effort: never throws.
   */
  static synchronized void warmUp() {
    if (warm) {
      return;
    }
    warm = true;
    try {
      FrameCodec.warmUp(WARM_ROUNDS);
      ClassServer server = new ClassServer(ClassServer.class.getClassLoader());
      for (String path : ClassFileSample.of(ClassServer.class.getClassLoader(), "com/fasterxml/jackson/core/",
          FETCH_SAMPLE)) {
        Fetch asked = (Fetch) FrameCodec.decode(Frame.of(new Fetch(1, "warm-up", path, 0, List.of())).encode())
            .header();
        Answer a = server.answer(asked.loader(), asked.path(), asked.known());
        if (a.found()) {
          Frame.of(new FetchReply(asked.requestId(), true, null, a.sha256()), a.bytes()).encode();
        }
      }
    } catch (IOException | RuntimeException | LinkageError e) {
      // only a warm-up
    }
  }

  /** The number of a task's class loader, giving it one on first sight; null counts as loader 0. */
  synchronized int idOf(ClassLoader loader) {
    if (loader == null) {
      return 0;
    }
    return ids.computeIfAbsent(loader, l -> {
      loaders.add(l);
      return loaders.size() - 1;
    });
  }

  private synchronized ClassLoader loader(int id) {
    return id >= 0 && id < loaders.size() ? loaders.get(id) : null;
  }

  /**
   * Reads a resource through loader {@code id}, or returns null when it has none. Paths are class-path
   * relative; {@code ..} segments and absolute paths are refused so a worker cannot walk the client's file
   * system.
   */
  byte[] find(int id, String path) throws IOException {
    ClassLoader loader = loader(id);
    if (loader == null || path == null || path.isEmpty() || path.startsWith("/") || path.contains("..")
        || path.contains("\\")) {
      return null;
    }
    byte[] ownBytes = classFileOfDefiningLoader(loader, path);
    if (ownBytes != null) {
      return ownBytes;
    }
    try (InputStream in = loader.getResourceAsStream(path)) {
      return in == null ? null : in.readAllBytes();
    }
  }

  /**
   * For a class file, the bytes from the loader that actually defines the class. Resource lookup is
   * parent-first even in child-first loaders, so without this a class a child-first loader redefined (a
   * plugin's own version of a library, say) would be served as its parent's version.
   */
  private static byte[] classFileOfDefiningLoader(ClassLoader loader, String path) throws IOException {
    if (!path.endsWith(".class") || path.endsWith("module-info.class") || path.endsWith("package-info.class")) {
      return null;
    }
    ClassLoader defining;
    try {
      defining = Class.forName(path.substring(0, path.length() - 6).replace('/', '.'), false, loader)
          .getClassLoader();
    } catch (ClassNotFoundException | LinkageError notLoadableHere) {
      return null; // served as a plain resource, if the class path has it
    }
    if (defining instanceof URLClassLoader own) {
      URL url = own.findResource(path);
      if (url != null) {
        try (InputStream in = url.openStream()) {
          return in.readAllBytes();
        }
      }
    }
    if (defining != null && defining != loader) {
      try (InputStream in = defining.getResourceAsStream(path)) {
        return in == null ? null : in.readAllBytes();
      }
    }
    return null;
  }

  /** Answers a fetch: the bytes and their digest, or the digest alone when it is among {@code known}. */
  Answer answer(int id, String path, List<String> known) throws IOException {
    byte[] bytes = find(id, path);
    if (bytes == null) {
      return Answer.NOT_FOUND;
    }
    String sha256 = digests.computeIfAbsent(id + ":" + path, k -> ContentHash.sha256(bytes));
    return known.contains(sha256) ? new Answer(null, sha256, true) : new Answer(bytes, sha256, false);
  }
}
