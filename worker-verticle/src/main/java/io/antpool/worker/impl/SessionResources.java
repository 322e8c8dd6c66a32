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
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

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
  /** Loaders kept per space for mode 0: one per core, as a worker JVM usually runs a slot per core. */
  private static final int MAX_KEPT = Runtime.getRuntime().availableProcessors();

  /**
   * A mode-0 loader waiting for a task: {@code pristine} if no task has run in it yet (then static state
   * does not matter: nothing has been initialized).
   */
  private record Kept(TaskClassLoader loader, boolean pristine) {
  }

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
  /** A space's name: a record, so that looking a space up (twice per task) builds no string. */
  private record SpaceKey(String session, int loader) {
  }

  private final Map<SpaceKey, Space> spaces = new java.util.LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<SpaceKey, Space> eldest) {
      return size() > MAX_SPACES;
    }
  };

  /** One client session's class loader as seen from here. */
  private static final class Space {
    final String session;
    final ConcurrentHashMap<String, CompletableFuture<Optional<byte[]>>> bytes = new ConcurrentHashMap<>();
    volatile TaskClassLoader sharedLoader;
    /**
     * Mode 0: loaders ready for the next tasks, each taken by one task: ones finished tasks left without static
     * state, and pristine ones prepared after a task ({@link #prepareNext}). At most {@link #MAX_KEPT}.
     */
    final ConcurrentLinkedDeque<Kept> kept = new ConcurrentLinkedDeque<>();
    final AtomicInteger keptCount = new AtomicInteger();

    /** Adds {@code loader} unless the space already keeps enough. */
    boolean keep(Kept loader) {
      if (keptCount.incrementAndGet() > MAX_KEPT) {
        keptCount.decrementAndGet();
        return false;
      }
      kept.addFirst(loader);
      return true;
    }

    Kept take() {
      Kept k = kept.pollFirst();
      if (k != null) {
        keptCount.decrementAndGet();
      }
      return k;
    }

    /** Whether the bytes of {@code path} are cached here, found, so defining it needs no fetch. */
    boolean holds(String path) {
      CompletableFuture<Optional<byte[]>> f = bytes.get(path);
      return f != null && f.isDone() && !f.isCompletedExceptionally() && f.join().isPresent();
    }

    Space(String session) {
      this.session = session;
    }
  }

  private synchronized Space space(String session, int loader) {
    return spaces.computeIfAbsent(new SpaceKey(session, loader), k -> new Space(session));
  }

  /** Drops everything cached for a session that ended, so its class loaders can be collected. */
  public synchronized void forget(String session) {
    spaces.values().removeIf(s -> s.session.equals(session));
  }

  /** A source that answers from the caches and fetches what they lack through {@code fetcher}. */
  public ResourceSource source(String session, int loader, Fetcher fetcher) {
    return source(space(session, loader), loader, fetcher);
  }

  private ResourceSource source(Space space, int loader, Fetcher fetcher) {
    String session = space.session;
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
   * The class loader for a task. Mode 1: a new one. Mode 0: the one an earlier task of the space left without
   * static state ({@link #taskDone}), taken so no other task uses it meanwhile, else a new one. Mode 2: the
   * space's shared one.
   */
  public ClassLoader loaderFor(String session, int loader, int rtype, long taskId, Fetcher fetcher) {
    if (rtype == 0) {
      Kept kept = space(session, loader).take();
      if (kept != null && (kept.pristine() || !kept.loader().holdsStaticState())) {
        return kept.loader();
      }
    }
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

  /**
   * Called when a task is over. In mode 0, a loader in which no class holds static state is kept for the next
   * task of the space, so its classes are not defined, verified and compiled again: that task could not tell
   * it from a fresh one. Not when the task may have left work running (it started threads), which could still
   * define classes in the loader; then, and in every other case, the loader is dropped.
   *
   * @param threadsStarted whether any thread was started in this JVM while the task ran
   * @return true when the loader was kept; otherwise, for mode 0, {@link #prepareNext} can make a pristine one
   */
  public boolean taskDone(String session, int loader, int rtype, ClassLoader used, boolean threadsStarted) {
    if (rtype == 0 && !threadsStarted && used instanceof TaskClassLoader task && !task.holdsStaticState()) {
      Space space = existingSpace(session, loader);
      return space != null && space.keep(new Kept(task, false));
    }
    return false;
  }

  /**
   * After a mode-0 task whose loader was not kept, and after its result has left: prepares a new loader for
   * the space's next task, defining the classes {@code used} defined (from the bytes cached here, never
   * fetching) and linking its lambdas, without initializing anything ({@link TaskClassLoader#prepareLike}). The
   * next task then gets a loader as fresh as a new one, with the work of defining done before it arrived.
   * Nothing is prepared for a session that ended, or when the space keeps enough loaders already.
   */
  public void prepareNext(String session, int loader, ClassLoader used, long taskId, Fetcher fetcher) {
    Space space = existingSpace(session, loader);
    if (space == null || !(used instanceof TaskClassLoader previous) || space.keptCount.get() >= MAX_KEPT) {
      return;
    }
    TaskClassLoader next = new TaskClassLoader("antpool-task-after-" + taskId, source(space, loader, fetcher));
    next.prepareLike(previous, space::holds); // only cached classes (and their supertypes, cached with them)
    space.keep(new Kept(next, true));
  }

  private synchronized Space existingSpace(String session, int loader) {
    return spaces.get(new SpaceKey(session, loader)); // a session that ended stays forgotten
  }
}
