package io.antpool;

import java.io.Serializable;
import java.util.concurrent.Callable;

/**
 * A {@link Callable} that Java serialization can ship to a worker. Passing a lambda where this type is
 * expected makes the compiler generate a serializable lambda, so {@code executor.submit(() -> 6 * 7)} needs no
 * extra code. Everything the lambda captures must be {@link Serializable} too.
 */
@FunctionalInterface
public interface SerializableCallable<V> extends Callable<V>, Serializable {
}
