package io.antpool.worker.impl;

import io.antpool.task.ContentHash;
import io.antpool.task.ResourceSource;
import io.antpool.task.TaskClassLoader;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * The classes and resources this worker JVM fetched from clients, shared by all its slots.
 *
 * <p>Two levels of cache. Per client session and client class loader ("space"), each path is asked for once:
 * the first asker fetches, concurrent askers wait for its answer, later askers get the answer at once (found
 * or not). A space's contents cannot change while it lives, as a class loader's class path does not. Across
 * spaces, the {@link ContentStore} keeps every version by SHA-256 digest: a fetch lists the digests held for
 * its path, and when the client's version is one of them no bytes travel. A class changed on the client
 * comes from a new loader or a new session, whose digest differs, so it is never served stale.
 *
 * <p>When the server reports that a session ended, its spaces and their loaders are dropped
 * ({@link #forget}); the least recently used spaces also go beyond {@value #MAX_SPACES}.
 */
public final class SessionResources {
  private static final int MAX_SPACES = 256;
  private static final long STORE_BYTES = 128L * 1024 * 1024;

  /** What a client answered for a path. */
  public record Fetched(byte[] bytes, String sha256, boolean omitted) {
    public static final Fetched NOT_FOUND = new Fetched(null, null, false);

    /** An answer carrying the bytes (their digest is computed here). */
    public static Fetched of(byte[] bytes) {
      return bytes == null ? NOT_FOUND : new Fetched(bytes, ContentHash.sha256(bytes), false);
    }

    public boolean found() {
      return sha256 != null;
    }
  }

  /** Fetches a path from a client session's class loader over whatever link the worker has. */
  @FunctionalInterface
  public interface Fetcher {
    /**
     * @param known digests of versions this worker holds; the client may then answer with the digest only
     * @throws IOException when the client cannot be asked or does not answer
     */
    Fetched fetch(String session, int loader, String path, List<String> known) throws IOException;
  }

  private final ContentStore store = new ContentStore(STORE_BYTES);
  private final Map<String, Space> spaces = new java.util.LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Space> eldest) {
      return size() > MAX_SPACES;
    }
  };

  /** One client session's class loader as seen from here. */
  private static final class Space {
    final String session;
    final ConcurrentHashMap<String, CompletableFuture<Optional<byte[]>>> bytes = new ConcurrentHashMap<>();
    volatile TaskClassLoader sharedLoader;

    Space(String session) {
      this.session = session;
    }
  }

  private synchronized Space space(String session, int loader) {
    return spaces.computeIfAbsent(session + "/" + loader, k -> new Space(session));
  }

  /** Drops everything cached for a session that ended, so its class loaders can be collected. */
  public synchronized void forget(String session) {
    spaces.values().removeIf(s -> s.session.equals(session));
  }

  /** A source that answers from the caches and fetches what they lack through {@code fetcher}. */
  public ResourceSource source(String session, int loader, Fetcher fetcher) {
    Space space = space(session, loader);
    return path -> {
      CompletableFuture<Optional<byte[]>> mine = new CompletableFuture<>();
      CompletableFuture<Optional<byte[]>> existing = space.bytes.putIfAbsent(path, mine);
      if (existing == null) {
        try {
          mine.complete(Optional.ofNullable(fetchThroughStore(session, loader, path, fetcher)));
        } catch (IOException | RuntimeException e) {
          space.bytes.remove(path, mine); // a failed fetch is not cached: the next asker tries again
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

  private byte[] fetchThroughStore(String session, int loader, String path, Fetcher fetcher) throws IOException {
    Fetched answer = fetcher.fetch(session, loader, path, store.digestsOf(path));
    if (!answer.found()) {
      return null;
    }
    if (answer.omitted()) {
      byte[] held = store.get(answer.sha256());
      if (held != null) {
        return held;
      }
      answer = fetcher.fetch(session, loader, path, List.of()); // evicted meanwhile: ask for the bytes
      if (!answer.found()) {
        return null;
      }
    }
    byte[] bytes = answer.bytes();
    String actual = ContentHash.sha256(bytes);
    if (!actual.equals(answer.sha256())) {
      throw new IOException(path + " arrived damaged: its SHA-256 is " + actual + ", the client said "
          + answer.sha256());
    }
    store.put(actual, path, bytes);
    return bytes;
  }

  /**
   * The class loader for a task: a fresh one for isolation modes 0 and 1, the space's shared one for 2.
   */
  public ClassLoader loaderFor(String session, int loader, int rtype, long taskId, Fetcher fetcher) {
    if (rtype != 2) {
      return new TaskClassLoader("antpool-task-" + taskId, source(session, loader, fetcher));
    }
    Space space = space(session, loader);
    TaskClassLoader shared = space.sharedLoader;
    if (shared == null) {
      synchronized (space) {
        shared = space.sharedLoader;
        if (shared == null) {
          shared = new TaskClassLoader("antpool-session-" + session + "-" + loader,
              source(session, loader, fetcher));
          space.sharedLoader = shared;
        }
      }
    }
    return shared;
  }
}
