package io.antpool;

import java.io.Serializable;
import java.util.function.Function;

/**
 * A {@link Function} that Java serialization can ship to a worker, used by the executor's {@code map}.
 */
@FunctionalInterface
public interface SerializableFunction<T, R> extends Function<T, R>, Serializable {
}
