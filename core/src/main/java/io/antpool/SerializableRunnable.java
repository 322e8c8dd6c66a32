package io.antpool;

import java.io.Serializable;

/**
 * A {@link Runnable} that Java serialization can ship to a worker; see {@link SerializableCallable}.
 */
@FunctionalInterface
public interface SerializableRunnable extends Runnable, Serializable {
}
