package io.antpool.task.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/** {@link ClassFileVersion}: reading a class file's major version, and the message for one too new. */
class ClassFileVersionTest {
  @Test
  void readsTheMajorVersionOfACompiledClass() throws IOException {
    byte[] bytes;
    try (InputStream in = getClass().getResourceAsStream("ClassFileVersionTest.class")) {
      bytes = in.readAllBytes();
    }

    assertEquals(61, ClassFileVersion.major(bytes), "the build compiles with --release 17");
  }

  @Test
  void bytesThatAreNotAClassFileHaveNoVersion() {
    assertEquals(-1, ClassFileVersion.major(null));
    assertEquals(-1, ClassFileVersion.major(new byte[] {(byte) 0xca, (byte) 0xfe}));
    assertEquals(-1, ClassFileVersion.major(new byte[] {1, 2, 3, 4, 0, 0, 0, 65}));
  }

  @Test
  void theRuntimeMajorIsTheFeatureReleasePlus44() {
    assertEquals(Runtime.version().feature() + 44, ClassFileVersion.runtimeMajor());
  }

  @Test
  void theMessageNamesTheClassBothJavaVersionsAndTheFix() {
    assertEquals("class com.x.NewJava was compiled for Java 21 (class file version 65) but this worker runs"
        + " Java 17 (class file version 61): run the worker on Java 21 or newer, or compile with --release 17",
        ClassFileVersion.tooNewMessage("com.x.NewJava", 65, 17));
  }
}
