package io.antpool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.antpool.client.AntPoolExecutor;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.commons.math3.fraction.Fraction;
import org.apache.commons.math3.stat.regression.SimpleRegression;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Tasks that use libraries and resources of the client's class path, on a worker JVM whose class path holds
 * antpool.jar only: a library the worker lacks (commons-math3), a library the worker carries too (Jackson),
 * where the task must still get the client's copy, and class-path resources.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class LibrariesAndResourcesIT {
  private static final String GREETING = "Grüße from the client’s class path ✓\nsecond line\n";
  private static ChildJvm server;
  private static SharedPool shared;
  private static AntPoolExecutor pool;

  @BeforeAll
  static void startPool() throws Exception {
    shared = SharedPool.start(1);
    server = shared.server;
    pool = shared.executor;
  }

  @AfterAll
  static void stopPool() {
    if (shared != null) {
      shared.close();
    }
  }

  /** Run on a worker: a class of its own, so tasks need not load the test class there. */
  static final class WorkerClassPath {
    private WorkerClassPath() {
    }

    /** Whether the worker JVM's own class path (its system class loader) has a class. */
    static String has(String className) {
      try {
        Class.forName(className, false, ClassLoader.getSystemClassLoader());
        return "present";
      } catch (ClassNotFoundException e) {
        return "absent";
      }
    }
  }

  /** What a commons-math3 task computed, and where its classes came from. */
  record MathAnswer(Fraction harmonic, double slope, double intercept, double rSquare, String mathLoader,
      String onWorkerClassPath) implements Serializable {
  }

  static final class CommonsMathTask implements Callable<MathAnswer>, Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public MathAnswer call() {
      Fraction harmonic = Fraction.ZERO;
      for (int k = 1; k <= 10; k++) {
        harmonic = harmonic.add(new Fraction(1, k));
      }
      SimpleRegression line = new SimpleRegression();
      for (int x = 1; x <= 5; x++) {
        line.addData(x, 3 * x - 2);
      }
      return new MathAnswer(harmonic, line.getSlope(), line.getIntercept(), line.getRSquare(),
          Fraction.class.getClassLoader().getName(), WorkerClassPath.has(Fraction.class.getName()));
    }
  }

  @Test
  void aLibraryOnlyTheClientHasIsShippedToTheWorker() throws Exception {
    MathAnswer answer = pool.submit(new CommonsMathTask()).get(60, TimeUnit.SECONDS);
    assertEquals("absent", answer.onWorkerClassPath(), "the worker's class path lacks commons-math3");
    assertTrue(answer.mathLoader().startsWith("antpool-task-"), answer.mathLoader());
    assertEquals(new Fraction(7381, 2520), answer.harmonic(), "1 + 1/2 + ... + 1/10, exactly");
    assertSame(Fraction.class, answer.harmonic().getClass(), "a library type comes back as this JVM's class");
    assertEquals(3.0, answer.slope(), 1e-12);
    assertEquals(-2.0, answer.intercept(), 1e-12);
    assertEquals(1.0, answer.rSquare(), 1e-12);
  }

  static final class JacksonTask implements Callable<List<String>>, Serializable {
    private static final long serialVersionUID = 1L;
    private final LinkedHashMap<String, Object> document;

    JacksonTask(Map<String, Object> document) {
      this.document = new LinkedHashMap<>(document);
    }

    @Override
    public List<String> call() throws Exception {
      ObjectMapper mapper = new ObjectMapper();
      String json = mapper.writeValueAsString(document);
      Class<?> workersOwn = Class.forName(ObjectMapper.class.getName(), false, ClassLoader.getSystemClassLoader());
      return List.of(json, mapper.getClass().getClassLoader().getName(),
          WorkerClassPath.has(ObjectMapper.class.getName()), String.valueOf(workersOwn == ObjectMapper.class));
    }
  }

  @Test
  void aLibraryTheWorkerAlsoCarriesComesFromTheClient() throws Exception {
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("name", "ant");
    document.put("legs", 6);
    document.put("tags", List.of("small", "strong"));
    document.put("queen", null);
    List<String> answer = pool.submit(new JacksonTask(document)).get(60, TimeUnit.SECONDS);
    assertEquals("{\"name\":\"ant\",\"legs\":6,\"tags\":[\"small\",\"strong\"],\"queen\":null}", answer.get(0));
    assertTrue(answer.get(1).startsWith("antpool-"),
        "the task's ObjectMapper is defined by a task loader, not the worker's own: " + answer.get(1));
    assertEquals("present", answer.get(2), "the worker jar bundles Jackson too");
    assertEquals("false", answer.get(3), "so the worker has two ObjectMappers, and the task used the client's");
    assertEquals(new ObjectMapper().writeValueAsString(document), answer.get(0), "same text as here");
  }

  static final class ReadGreeting implements Callable<List<String>>, Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public List<String> call() throws IOException {
      String viaStream;
      try (InputStream in = getClass().getResourceAsStream("greeting.txt")) {
        viaStream = in == null ? "null" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      URL url = getClass().getResource("greeting.txt");
      String viaUrl;
      try (InputStream in = url.openStream()) {
        viaUrl = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      String viaAbsoluteName;
      try (InputStream in = getClass().getResource("/io/antpool/it/greeting.txt").openStream()) {
        viaAbsoluteName = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      String viaContextLoader;
      try (InputStream in = Thread.currentThread().getContextClassLoader()
          .getResourceAsStream("io/antpool/it/greeting.txt")) {
        viaContextLoader = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      return List.of(viaStream, viaUrl, viaAbsoluteName, viaContextLoader,
          String.valueOf(getClass().getResource("no-such-resource.txt")), getClass().getClassLoader().getName());
    }
  }

  @Test
  void resourcesOfTheClientsClassPathAreReadOnTheWorker() throws Exception {
    try (InputStream here = getClass().getResourceAsStream("greeting.txt")) {
      assertEquals(GREETING, new String(here.readAllBytes(), StandardCharsets.UTF_8), "the test resource");
    }
    List<String> answer = pool.submit(new ReadGreeting()).get(60, TimeUnit.SECONDS);
    assertTrue(answer.get(5).startsWith("antpool-task-"), "ran in a task loader: " + answer.get(5));
    assertEquals(GREETING, answer.get(0), "getResourceAsStream");
    assertEquals(GREETING, answer.get(1), "getResource(...).openStream()");
    assertEquals(GREETING, answer.get(2), "getResource with an absolute name");
    assertEquals(GREETING, answer.get(3), "the thread context class loader");
    assertEquals("null", answer.get(4), "a resource the client lacks is null, as on any class path");
  }
}
