package io.antpool.client.impl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link ClassServer#find}: serves the exact bytes of class files and resources from the client's class
 * loaders (remembered task loaders first, then the initial one), returns null for what it lacks, and refuses
 * paths that could leave the class path ({@code ..}, absolute, backslashes) even when a loader would serve
 * them.
 */
class ClassServerTest {
  private static final String OWN_CLASS = "io/antpool/client/impl/ClassServer.class";

  @Test
  void servesTheExactBytesOfAClassFile() throws Exception {
    Path classes = Path.of(ClassServer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    byte[] onDisk = Files.readAllBytes(classes.resolve(OWN_CLASS));

    byte[] served = new ClassServer(getClass().getClassLoader()).find(0, OWN_CLASS);

    assertArrayEquals(onDisk, served);
    assertEquals(0xCAFEBABE, java.nio.ByteBuffer.wrap(served).getInt());
  }

  @Test
  void servesJdkClassesToo() throws Exception {
    byte[] served = new ClassServer(getClass().getClassLoader()).find(0, "java/lang/String.class");

    assertNotNull(served);
    assertEquals(0xCAFEBABE, java.nio.ByteBuffer.wrap(served).getInt());
  }

  @Test
  void anUnknownResourceIsNull() throws Exception {
    ClassServer server = new ClassServer(getClass().getClassLoader());

    assertNull(server.find(0, "com/example/DoesNotExist.class"));
    assertNull(server.find(0, "no-such-resource.txt"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"../x", "inner/../x", "/x", "/" + OWN_CLASS, "a\\b", "inner\\..\\x", ""})
  void pathsThatCouldLeaveTheClassPathAreRefused(String path, @TempDir Path dir) throws Exception {
    Path root = Files.createDirectories(dir.resolve("root"));
    Files.createDirectories(root.resolve("inner"));
    Files.writeString(root.resolve("x"), "inside the class path");
    Files.writeString(dir.resolve("x"), "outside the class path");
    Files.writeString(root.resolve("a\\b"), "a file whose name holds a backslash");
    try (URLClassLoader loader = new URLClassLoader(new URL[] {root.toUri().toURL()},
        ClassServerTest.class.getClassLoader())) {
      ClassServer server = new ClassServer(loader);

      assertNull(server.find(0, path));
    }
  }

  @Test
  void aPathThatALoaderWouldResolveIsRefusedByTheServerItself(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("inner"));
    Files.writeString(dir.resolve("x"), "secret");
    try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, null)) {
      try (InputStream direct = loader.getResourceAsStream("inner/../x")) {
        assertNotNull(direct, "precondition: the JDK loader resolves the dot-dot path");
      }

      assertNull(new ClassServer(loader).find(0, "inner/../x"));
      assertArrayEquals("secret".getBytes(StandardCharsets.UTF_8), new ClassServer(loader).find(0, "x"));
    }
  }

  @Test
  void aNullPathIsRefused() throws Exception {
    assertNull(new ClassServer(getClass().getClassLoader()).find(0, null));
  }

  @Test
  void eachTaskLoaderAnswersForItselfUnderItsOwnNumber(@TempDir Path dir) throws Exception {
    Path initialRoot = Files.createDirectories(dir.resolve("initial"));
    Path taskRoot = Files.createDirectories(dir.resolve("task"));
    Files.writeString(initialRoot.resolve("config.txt"), "initial");
    Files.writeString(taskRoot.resolve("config.txt"), "task");
    Files.writeString(taskRoot.resolve("only-task.txt"), "only the task loader has me");
    try (URLClassLoader initial = new URLClassLoader(new URL[] {initialRoot.toUri().toURL()}, null);
        URLClassLoader task = new URLClassLoader(new URL[] {taskRoot.toUri().toURL()}, null)) {
      ClassServer server = new ClassServer(initial);
      assertEquals(0, server.idOf(initial));
      assertEquals(0, server.idOf(null));
      int taskId = server.idOf(task);
      assertEquals(1, taskId);
      assertEquals(1, server.idOf(task), "a loader keeps its number");

      assertEquals("initial", text(server.find(0, "config.txt")));
      assertNull(server.find(0, "only-task.txt"));
      assertEquals("task", text(server.find(taskId, "config.txt")));
      assertEquals("only the task loader has me", text(server.find(taskId, "only-task.txt")));
      assertNull(server.find(7, "config.txt"), "an unknown loader number has nothing");
    }
  }

  @Test
  void theBytesAreLeftOutWhenTheWorkerHoldsThatVersion() throws Exception {
    ClassServer server = new ClassServer(getClass().getClassLoader());
    ClassServer.Answer first = server.answer(0, OWN_CLASS, java.util.List.of());
    assertTrue(first.found());
    assertArrayEquals(server.find(0, OWN_CLASS), first.bytes());
    assertEquals(io.antpool.task.ContentHash.sha256(first.bytes()), first.sha256());

    ClassServer.Answer again = server.answer(0, OWN_CLASS, java.util.List.of("00ff", first.sha256()));
    assertTrue(again.omitted());
    assertNull(again.bytes());
    assertEquals(first.sha256(), again.sha256());

    ClassServer.Answer other = server.answer(0, OWN_CLASS, java.util.List.of("00ff"));
    assertArrayEquals(first.bytes(), other.bytes(), "another version is not a match");
    assertFalse(server.answer(0, "no/Such.class", java.util.List.of()).found());
  }

  private static String text(byte[] bytes) {
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }
}
