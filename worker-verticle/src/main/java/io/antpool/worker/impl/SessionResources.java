package io.antpool.worker.impl;

import io.antpool.task.ResourceSource;
import io.antpool.task.TaskClassLoader;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * The classes and resources fetched from each client session, shared by all slots of this JVM, so a class is
 * transferred once per session and worker JVM however many tasks and slots ask for it, even at once. A session's classes cannot change
 * while it lives (a JVM cannot redefine a loaded class's bytes on the class path), so caching by name within a
 * session is safe. The least recently used sessions are forgotten beyond {@value #MAX_SESSIONS}.
 */
public final class SessionResources {
  private static final int MAX_SESSIONS = 64;

  /** Fetches a path from a session's client over whatever link the worker has. */
  @FunctionalInterface
  public interface Fetcher {
    byte[] fetch(String session, String path) throws IOException;
  }

  private final Map<String, Session> sessions = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Session> eldest) {
      return size() > MAX_SESSIONS;
    }
  };

  private static final class Session {
    /** One entry per path; the first asker fetches, concurrent askers wait for its answer. */
    final ConcurrentHashMap<String, CompletableFuture<Optional<byte[]>>> bytes = new ConcurrentHashMap<>();
    volatile TaskClassLoader sharedLoader;
  }

  private synchronized Session session(String id) {
    return sessions.computeIfAbsent(id, k -> new Session());
  }

  /** A source that answers from the cache and fetches what it lacks through {@code fetcher}. */
  public ResourceSource source(String sessionId, Fetcher fetcher) {
    Session s = session(sessionId);
    return path -> {
      CompletableFuture<Optional<byte[]>> mine = new CompletableFuture<>();
      CompletableFuture<Optional<byte[]>> existing = s.bytes.putIfAbsent(path, mine);
      if (existing == null) {
        try {
          mine.complete(Optional.ofNullable(fetcher.fetch(sessionId, path)));
        } catch (IOException | RuntimeException e) {
          s.bytes.remove(path, mine); // a failed fetch is not cached: the next asker tries again
          mine.completeExceptionally(e);
          throw e;
        }
        return mine.join().orElse(null);
      }
      try {
        return existing.get().orElse(null);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while waiting for " + path);
      } catch (ExecutionException e) {
        throw new IOException("fetching " + path + " failed: " + e.getCause().getMessage(), e.getCause());
      }
    };
  }

  /**
   * The class loader for a task: a fresh one for isolation modes 0 and 1, the session's shared one for 2.
   */
  public ClassLoader loaderFor(String sessionId, int rtype, long taskId, Fetcher fetcher) {
    if (rtype != 2) {
      return new TaskClassLoader("antpool-task-" + taskId, source(sessionId, fetcher));
    }
    Session s = session(sessionId);
    TaskClassLoader loader = s.sharedLoader;
    if (loader == null) {
      synchronized (s) {
        loader = s.sharedLoader;
        if (loader == null) {
          loader = new TaskClassLoader("antpool-session-" + sessionId, source(sessionId, fetcher));
          s.sharedLoader = loader;
        }
      }
    }
    return loader;
  }
}
