package io.antpool.task.impl;

import java.io.IOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * A few class files of a package on a class path, by resource path: material for warming up the class-shipping
 * path (reading, hashing, sending, defining classes) at start, with real class files of real sizes.
 */
public final class ClassFileSample {
  private ClassFileSample() {
  }

  /**
   * Up to {@code max} class-file paths directly in package directory {@code packagePath} (such as
   * {@code com/fasterxml/jackson/core/}) as {@code loader} sees it, from a jar or a directory; empty when the
   * package cannot be listed.
   */
  public static List<String> of(ClassLoader loader, String packagePath, int max) {
    List<String> paths = new ArrayList<>();
    try {
      URL dir = loader.getResource(packagePath);
      if (dir == null) {
        return paths;
      }
      URLConnection connection = dir.openConnection();
      if (connection instanceof JarURLConnection jar) {
        connection.setUseCaches(false);
        try (JarFile file = jar.getJarFile()) {
          for (JarEntry e : (Iterable<JarEntry>) file.stream()::iterator) {
            String name = e.getName();
            if (paths.size() < max && isClassDirectlyIn(name, packagePath)) {
              paths.add(name);
            }
          }
        }
      } else if ("file".equals(dir.getProtocol())) {
        try (Stream<Path> files = Files.list(Paths.get(dir.toURI()))) {
          files.map(f -> packagePath + f.getFileName()).filter(n -> isClassDirectlyIn(n, packagePath)).limit(max)
              .forEach(paths::add);
        }
      }
    } catch (IOException | RuntimeException | java.net.URISyntaxException e) {
      // a sample is best effort
    }
    return paths;
  }

  private static boolean isClassDirectlyIn(String name, String packagePath) {
    return name.startsWith(packagePath) && name.endsWith(".class") && name.indexOf('/', packagePath.length()) < 0
        && !name.endsWith("module-info.class") && !name.endsWith("package-info.class");
  }
}
