package io.antpool.task;

import java.io.IOException;

/**
 * Where a {@link TaskClassLoader} gets the bytes of classes and resources it does not have: on a worker, the
 * submitting client's class path, reached through the server.
 */
@FunctionalInterface
public interface ResourceSource {
  /**
   * Returns the bytes of a class file or resource, blocking until they arrive.
   *
   * @param path a resource path such as {@code com/example/Task.class}
   * @return the bytes, or null when the client has no such resource
   * @throws IOException when the client could not be asked (gone, timed out)
   */
  byte[] fetch(String path) throws IOException;
}
