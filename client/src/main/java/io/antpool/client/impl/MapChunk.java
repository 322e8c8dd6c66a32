package io.antpool.client.impl;

import io.antpool.SerializableCallable;
import io.antpool.SerializableFunction;
import java.util.ArrayList;
import java.util.List;

/**
 * One task of {@code AntPoolExecutor.map}: applies the function to a run of consecutive items on a worker and
 * returns their results in order. With {@code chunksize} 1 a chunk is a single item; larger chunks send many
 * items in one task message, which is what makes a map over small items fast. An exception from any item
 * fails the whole chunk, as in Python's {@code ProcessPoolExecutor.map}.
 */
public final class MapChunk<T, R> implements SerializableCallable<List<R>>, CarriesUserCode {
  private static final long serialVersionUID = 1L;
  private final SerializableFunction<? super T, ? extends R> fn;
  private final ArrayList<T> items;

  public MapChunk(SerializableFunction<? super T, ? extends R> fn, List<? extends T> items) {
    this.fn = fn;
    this.items = new ArrayList<>(items);
  }

  @Override
  public List<R> call() {
    List<R> results = new ArrayList<>(items.size());
    for (T item : items) {
      results.add(fn.apply(item));
    }
    return results;
  }

  /** The function's loader: its classes, not AntPool's, are what a worker fetches. */
  @Override
  public ClassLoader userClassLoader() {
    return fn.getClass().getClassLoader();
  }
}
