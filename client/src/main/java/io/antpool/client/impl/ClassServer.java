package io.antpool.client.impl;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Answers workers' requests for classes and resources from this client's class path: the class loaders of
 * the submitted tasks, then the thread context loader the client was created with.
 */
final class ClassServer {
  private final List<ClassLoader> loaders = new CopyOnWriteArrayList<>();

  ClassServer(ClassLoader initial) {
    remember(initial);
  }

  /** Adds the loader of a submitted task, so classes only it can see are served too. */
  void remember(ClassLoader loader) {
    if (loader != null && !loaders.contains(loader)) {
      loaders.add(0, loader);
    }
  }

  /**
   * Reads a resource, or returns null when no loader has it. Paths are class-path relative; {@code ..}
   * segments and absolute paths are refused so a worker cannot walk the client's file system.
   */
  byte[] find(String path) throws IOException {
    if (path == null || path.isEmpty() || path.startsWith("/") || path.contains("..") || path.contains("\\")) {
      return null;
    }
    for (ClassLoader loader : loaders) {
      try (InputStream in = loader.getResourceAsStream(path)) {
        if (in != null) {
          return in.readAllBytes();
        }
      }
    }
    return null;
  }
}
