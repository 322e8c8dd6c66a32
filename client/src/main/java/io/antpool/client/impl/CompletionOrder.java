package io.antpool.client.impl;

import java.util.Collection;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Futures in the order they complete, as Python's {@code concurrent.futures.as_completed}: each future once
 * (a future given twice, twice), done ones first, the rest as they settle, whether with a value, an exception
 * or a cancellation. With a deadline, reaching for the next future after it passes throws a
 * {@link CompletionException} carrying a {@link TimeoutException}.
 */
public final class CompletionOrder {
  private CompletionOrder() {
  }

  /** @param deadlineNanos a {@link System#nanoTime()} deadline, or null for none */
  public static <F extends CompletableFuture<?>> Stream<F> of(Collection<F> futures, Long deadlineNanos,
      String timeoutText) {
    LinkedBlockingQueue<F> done = new LinkedBlockingQueue<>();
    for (F f : futures) {
      f.whenComplete((v, e) -> done.add(f));
    }
    int total = futures.size();
    Iterator<F> order = new Iterator<>() {
      private int taken;

      @Override
      public boolean hasNext() {
        return taken < total;
      }

      @Override
      public F next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        F next;
        try {
          next = deadlineNanos == null ? done.take()
              : done.poll(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new CompletionException(e);
        }
        if (next == null) {
          throw new CompletionException(new TimeoutException((total - taken) + " of " + total
              + " futures were not done within " + timeoutText));
        }
        taken++;
        return next;
      }
    };
    return StreamSupport.stream(Spliterators.spliterator(order, total, Spliterator.ORDERED | Spliterator.NONNULL),
        false);
  }
}
