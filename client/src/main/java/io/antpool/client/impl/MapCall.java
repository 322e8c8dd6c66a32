package io.antpool.client.impl;

import io.antpool.SerializableCallable;
import io.antpool.SerializableFunction;

/** One item of {@code AntPoolExecutor.map}: applies the function to the item on a worker. */
public final class MapCall<T, R> implements SerializableCallable<R> {
  private static final long serialVersionUID = 1L;
  private final SerializableFunction<? super T, ? extends R> fn;
  private final T item;

  public MapCall(SerializableFunction<? super T, ? extends R> fn, T item) {
    this.fn = fn;
    this.item = item;
  }

  @Override
  public R call() {
    return fn.apply(item);
  }
}
