package io.antpool.client.impl;

import io.antpool.SerializableCallable;
import io.antpool.SerializableFunction;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * One task of {@code AntPoolExecutor.map}: applies the function to a run of consecutive items on a worker and
 * returns their results in order. With {@code chunksize} 1 a chunk is a single item; larger chunks send many
 * items in one task message, which is what makes a map over small items fast. An exception from any item
 * fails the whole chunk, as in Python's {@code ProcessPoolExecutor.map}.
 */
public final class MapChunk<T, R> implements SerializableCallable<List<R>>, CarriesUserCode {
  private static final long serialVersionUID = 1L;
  private final SerializableFunction<? super T, ? extends R> fn;
  /** Packed: a chunk of numbers travels as bare values (see {@link PackedList}). */
  private final PackedList<T> items;

  public MapChunk(SerializableFunction<? super T, ? extends R> fn, List<? extends T> items) {
    this.fn = fn;
    this.items = new PackedList<>(new ArrayList<>(items));
  }

  /** The results in the order of the items, packed as the items are. */
  @Override
  public List<R> call() {
    List<R> results = new ArrayList<>(items.size());
    for (T item : items) {
      results.add(fn.apply(item));
    }
    return new PackedList<>(results);
  }

  /**
   * Cuts {@code items} into chunks of {@code chunksize} consecutive items (the last may be shorter), hands each
   * chunk to {@code submit} in order, and adds what it returns to {@code submitted} (which therefore holds
   * what was submitted even if {@code submit} throws part way).
   *
   * @throws IllegalArgumentException if {@code chunksize} is less than 1 (before anything is submitted)
   */
  public static <T, R, F> void submitAll(SerializableFunction<? super T, ? extends R> fn,
      Iterable<? extends T> items, int chunksize, Function<MapChunk<T, R>, F> submit, List<F> submitted) {
    Objects.requireNonNull(fn, "fn");
    Objects.requireNonNull(items, "items");
    if (chunksize < 1) {
      throw new IllegalArgumentException("chunksize must be at least 1, not " + chunksize);
    }
    List<T> chunk = new ArrayList<>(Math.min(chunksize, 1024));
    for (T item : items) {
      chunk.add(item);
      if (chunk.size() == chunksize) {
        submitted.add(submit.apply(new MapChunk<>(fn, chunk)));
        chunk.clear();
      }
    }
    if (!chunk.isEmpty()) {
      submitted.add(submit.apply(new MapChunk<>(fn, chunk)));
    }
  }

  /** The function's loader: its classes, not AntPool's, are what a worker fetches. */
  @Override
  public ClassLoader userClassLoader() {
    return fn.getClass().getClassLoader();
  }
}
