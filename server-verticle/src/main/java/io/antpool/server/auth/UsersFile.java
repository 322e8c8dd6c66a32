package io.antpool.server.auth;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The users file of {@code users} mode, JSON:
 *
 * <pre>
 * {"users": {
 *   "alice": {"hash": "pbkdf2-sha256$210000$SALT$HASH", "roles": ["submit"]},
 *   "farm":  {"hash": "pbkdf2-sha256$210000$SALT$HASH", "roles": ["work"]}
 * }}
 * </pre>
 *
 * Passwords are never in it, only {@link PasswordHash} hashes; {@code antpool user add} writes entries.
 */
public final class UsersFile {
  private final Map<String, User> users;

  /** One user: its password hash and roles. */
  public record User(String name, String hash, Set<UserRole> roles) {
    public User {
      roles = roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
    }

    JsonObject toJson() {
      return new JsonObject().put("hash", hash)
          .put("roles", new JsonArray(roles.stream().sorted().map(UserRole::label).toList()));
    }
  }

  private UsersFile(Map<String, User> users) {
    this.users = users;
  }

  /** The user named {@code name}, or null. */
  public User user(String name) {
    return name == null ? null : users.get(name);
  }

  public int size() {
    return users.size();
  }

  /**
   * Reads and checks a users file.
   *
   * @throws IllegalArgumentException naming the file and what is wrong in it (never a hash)
   */
  public static UsersFile read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the users file " + file + " (" + e + "); make it with:"
          + " antpool user add NAME --role submit --file " + file);
    }
    try {
      return parse(new JsonObject(text));
    } catch (DecodeException | ClassCastException e) {
      throw new IllegalArgumentException("the users file " + file + " is not JSON of the form {\"users\": {\"NAME\":"
          + " {\"hash\": \"...\", \"roles\": [\"submit\"]}}}");
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the users file " + file + ": " + e.getMessage());
    }
  }

  static UsersFile parse(JsonObject json) {
    JsonObject all = json.getJsonObject("users");
    if (all == null) {
      throw new IllegalArgumentException("it has no \"users\" object");
    }
    Map<String, User> users = new LinkedHashMap<>();
    for (String name : all.fieldNames()) {
      JsonObject entry = all.getJsonObject(name);
      String hash = entry.getString("hash");
      JsonArray roles = entry.getJsonArray("roles");
      if (hash == null || roles == null) {
        throw new IllegalArgumentException("user " + name + " needs a \"hash\" and \"roles\"");
      }
      PasswordHash.checkForm(hash);
      EnumSet<UserRole> set = EnumSet.noneOf(UserRole.class);
      for (Object role : roles) {
        set.add(UserRole.parse(String.valueOf(role)));
      }
      users.put(name, new User(name, hash, set));
    }
    return new UsersFile(users);
  }

  /**
   * Adds or replaces {@code user} in {@code file} (made if absent), atomically: the new content goes to a
   * temporary file readable by this user only, which then replaces the file.
   */
  public static void put(Path file, User user) {
    JsonObject json;
    try {
      json = Files.exists(file) ? new JsonObject(Files.readString(file, StandardCharsets.UTF_8))
          : new JsonObject().put("users", new JsonObject());
      parse(json); // refuse to rewrite a file that is already broken
      json.getJsonObject("users").put(user.name(), user.toJson());
      Path folder = file.toAbsolutePath().getParent();
      Files.createDirectories(folder);
      Path temp = Files.createTempFile(folder, ".users", ".tmp");
      if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
      }
      Files.writeString(temp, json.encodePrettily() + "\n", StandardCharsets.UTF_8);
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the users file " + file + ": " + e.getMessage(), e);
    } catch (DecodeException e) {
      throw new IllegalArgumentException("the users file " + file + " is not JSON; fix or remove it first");
    }
  }

  /** The entry for {@code user} as it appears in the file: {@code "NAME": {...}}. */
  public static String entry(User user) {
    return new JsonObject().put(user.name(), user.toJson()).encode();
  }
}
