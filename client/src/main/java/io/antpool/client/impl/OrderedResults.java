package io.antpool.client.impl;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * The stream {@code AntPoolExecutor.map} returns: the results of its chunks, flattened in input order, each
 * waited for only when the stream reaches it, as Python's {@code Executor.map} iterator does.
 *
 * <p>Contract, as in Python: when a chunk failed, the stream throws a {@link CompletionException} carrying the
 * task's exception when it reaches the chunk's first item; when the deadline (counted from the call to
 * {@code map}) passes before the next result is in, it throws a {@link CompletionException} carrying a
 * {@link TimeoutException}. Either way, and when the stream is closed, every chunk not yet done is cancelled,
 * on the workers too.
 */
public final class OrderedResults {
  private OrderedResults() {
  }

  /**
   * @param deadlineNanos a {@link System#nanoTime()} deadline, or null for none
   * @param timeoutText the timeout as the caller gave it, for the message
   */
  public static <R> Stream<R> of(List<CompletableFuture<List<R>>> chunks, Long deadlineNanos, String timeoutText) {
    return chunks.stream().flatMap(chunk -> await(chunks, chunk, deadlineNanos, timeoutText).stream())
        .onClose(() -> cancelAll(chunks));
  }

  private static <R> List<R> await(List<CompletableFuture<List<R>>> chunks, CompletableFuture<List<R>> chunk,
      Long deadlineNanos, String timeoutText) {
    try {
      return deadlineNanos == null ? chunk.get()
          : chunk.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      cancelAll(chunks);
      throw new CompletionException(e.getCause());
    } catch (TimeoutException e) {
      cancelAll(chunks);
      throw new CompletionException(new TimeoutException("map: not every result arrived within " + timeoutText
          + " of the call; the tasks still running were cancelled"));
    } catch (CancellationException e) {
      cancelAll(chunks);
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      cancelAll(chunks);
      throw new CompletionException(e);
    }
  }

  private static <R> void cancelAll(List<CompletableFuture<List<R>>> chunks) {
    for (CompletableFuture<List<R>> c : chunks) {
      c.cancel(true);
    }
  }
}
