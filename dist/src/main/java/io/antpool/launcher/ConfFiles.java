package io.antpool.launcher;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds and reads configuration files. A name is looked up as given, then under {@code conf/} of the current
 * folder, then under {@code conf/} of the AntPool installation ({@code ANTPOOL_HOME}); a file that is not
 * found is an error naming every place looked at (the Vert.x launcher alone would silently use {@code {}}).
 */
final class ConfFiles {
  private ConfFiles() {
  }

  static Path resolve(String name) {
    List<Path> candidates = new ArrayList<>();
    candidates.add(Path.of(name));
    candidates.add(Path.of("conf").resolve(name));
    String home = System.getenv("ANTPOOL_HOME");
    if (home != null && !home.isBlank()) {
      candidates.add(Path.of(home, "conf").resolve(name));
    }
    for (Path p : candidates) {
      if (Files.isRegularFile(p)) {
        return p.toAbsolutePath().normalize();
      }
    }
    throw new IllegalArgumentException("configuration file " + name + " not found; looked at "
        + String.join(", ", candidates.stream().map(p -> p.toAbsolutePath().normalize().toString()).toList())
        + ". Give an existing file, a name under conf/, or inline JSON");
  }

  /** Reads a configuration: inline JSON when it starts with '{', else a file found by {@link #resolve}. */
  static JsonObject read(String nameOrJson) {
    String text = nameOrJson.trim();
    String origin = "inline configuration";
    if (!text.startsWith("{")) {
      Path file = resolve(nameOrJson);
      origin = file.toString();
      try {
        text = Files.readString(file);
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read configuration file " + file + ": " + e.getMessage(), e);
      }
    }
    try {
      return new JsonObject(text);
    } catch (DecodeException e) {
      throw new IllegalArgumentException(origin + " is not valid JSON: " + e.getMessage(), e);
    }
  }
}
