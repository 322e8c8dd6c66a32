package io.antpool.task.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link ClassFileSample} lists class files of one package, from a jar or a directory. */
class ClassFileSampleTest {
  private static final ClassLoader LOADER = ClassFileSampleTest.class.getClassLoader();

  @Test
  void listsClassFilesDirectlyInAPackageOfAJar() {
    List<String> sample = ClassFileSample.of(LOADER, "com/fasterxml/jackson/core/", 20);

    assertEquals(20, sample.size(), sample.toString());
    for (String path : sample) {
      assertTrue(path.startsWith("com/fasterxml/jackson/core/") && path.endsWith(".class")
          && path.indexOf('/', "com/fasterxml/jackson/core/".length()) < 0, path);
      assertNotNull(LOADER.getResource(path), path);
    }
  }

  @Test
  void listsClassFilesOfADirectoryAndNothingForAnUnknownPackage() {
    List<String> sample = ClassFileSample.of(LOADER, "io/antpool/task/impl/", 1000);

    assertTrue(sample.contains("io/antpool/task/impl/ClassFileSampleTest.class"), sample.toString());
    assertTrue(ClassFileSample.of(LOADER, "no/such/package/", 10).isEmpty());
  }
}
