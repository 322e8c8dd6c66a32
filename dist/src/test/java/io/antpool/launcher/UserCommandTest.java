package io.antpool.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.antpool.server.auth.PasswordHash;
import io.antpool.server.auth.UserRole;
import io.antpool.server.auth.UsersFile;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code antpool user add}: reads the password from standard input when there is no console (never from the
 * command line), writes a PBKDF2 hash and the roles to the users file, readable by its owner only.
 */
class UserCommandTest {
  @TempDir
  Path dir;

  private static int run(String password, String... args) {
    InputStream stdin = System.in;
    System.setIn(new ByteArrayInputStream((password + "\n").getBytes(StandardCharsets.UTF_8)));
    try {
      return new CommandLine(new AntPool()).execute(args);
    } finally {
      System.setIn(stdin);
    }
  }

  @Test
  void addWritesAHashAndTheRolesAndTheHashVerifiesThePassword() throws Exception {
    Path file = dir.resolve("users.json");

    assertEquals(0, run("correct horse", "user", "add", "alice", "--role", "submit", "--role", "work", "--file",
        file.toString()));

    UsersFile.User alice = UsersFile.read(file).user("alice");
    assertEquals(Set.of(UserRole.SUBMIT, UserRole.WORK), alice.roles());
    assertTrue(PasswordHash.verify("correct horse".toCharArray(), alice.hash()));
    assertFalse(PasswordHash.verify("correct horsE".toCharArray(), alice.hash()));
    assertFalse(Files.readString(file).contains("correct horse"));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
  }

  @Test
  void aShortPasswordAnUnknownRoleOrAPasswordOnTheCommandLineAreRefused() {
    Path file = dir.resolve("users.json");
    assertEquals(2, run("short", "user", "add", "bob", "--role", "submit", "--file", file.toString()));
    assertEquals(2, run("long enough", "user", "add", "bob", "--role", "root", "--file", file.toString()));
    assertNotEquals(0, run("long enough", "user", "add", "bob", "--role", "submit", "--password", "x"));
    assertFalse(Files.exists(file));
  }
}
