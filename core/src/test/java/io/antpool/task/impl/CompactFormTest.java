package io.antpool.task.impl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.antpool.SerializableCallable;
import io.antpool.SerializableRunnable;
import io.antpool.task.TaskClassLoader;
import io.antpool.task.TaskCodec;
import io.antpool.task.fixtures.Lambdas;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * The compact form decodes to what the Java stream of the same object decodes to, is used only where it can do
 * that, and refuses malformed bytes with a stream error.
 */
class CompactFormTest {
  private static final ClassLoader APP = CompactFormTest.class.getClassLoader();
  private static final byte JAVA_STREAM = (byte) 0xAC;

  static Stream<Object> values() {
    return Stream.of(null, 0, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, Long.MIN_VALUE, 42L, (short) -3,
        (byte) -128, 'x', '\uffff', true, false, 0.0, -0.0, Double.NaN, Double.longBitsToDouble(0x7ff0000000000123L),
        Double.MAX_VALUE, Float.NaN, -1.5f, "", "antpool", "a\u007f\n");
  }

  /** The stream Java serialization itself writes for {@code o}, without AntPool's forms. */
  private static byte[] javaStream(Object o) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(o);
    }
    return bytes.toByteArray();
  }

  @ParameterizedTest
  @MethodSource("values")
  void aValueDecodesToWhatItsJavaStreamDecodesTo(Object value) throws Exception {
    byte[] compact = TaskCodec.encodeValue(value);

    assertTrue(CompactForm.isCompact(compact[0]), Arrays.toString(compact));
    Object back = TaskCodec.decode(compact, APP);
    Object viaStream = TaskCodec.decode(javaStream(value), APP);
    assertEquals(viaStream, back);
    assertSame(viaStream == null ? null : viaStream.getClass(), back == null ? null : back.getClass());
    assertArrayEquals(compact, TaskCodec.encodeValueToBuffer(value).getBytes());
  }

  @Test
  void otherValuesStayJavaStreams() throws Exception {
    for (Object value : List.of("caf\u00e9", List.of(1, 2), new int[] {1}, Thread.State.NEW, 1.5e300 + "")) {
      byte[] bytes = TaskCodec.encodeValue(value);
      boolean ascii = value instanceof String s && s.chars().allMatch(c -> c < 0x80);
      assertEquals(ascii, bytes[0] != JAVA_STREAM, String.valueOf(value));
      Object back = TaskCodec.decode(bytes, APP);
      assertEquals(value instanceof int[] a ? List.of(a[0]) : value,
          back instanceof int[] a ? List.of(a[0]) : back);
    }
  }

  @Test
  void aLambdaCapturingOnlySimpleValuesIsCompactAndRunsAsTheOriginal() throws Exception {
    int x = 20;
    long y = 2;
    String s = "!";
    SerializableCallable<String> task = () -> (x * y + 2) + s;

    byte[] bytes = TaskCodec.encodeTask(task);

    assertTrue(CompactForm.isCompact(bytes[0]));
    Object back = TaskCodec.decode(bytes, APP);
    assertInstanceOf(LinkedLambda.Callable.class, back);
    assertEquals("42!", ((Callable<?>) back).call());
    // it travels on as the Java stream of its portable form, and comes back the same again
    byte[] again = TaskCodec.encodeTask(back);
    assertEquals(JAVA_STREAM, again[0]);
    assertEquals("42!", ((Callable<?>) TaskCodec.decode(again, APP)).call());
  }

  @Test
  void aLambdaCapturingAnythingElseIsAJavaStream() throws Exception {
    List<Integer> list = List.of(1, 2, 3);
    SerializableCallable<Integer> task = () -> list.size();
    byte[] bytes = TaskCodec.encodeTask(task);

    assertEquals(JAVA_STREAM, bytes[0]);
    assertEquals(3, ((Callable<?>) TaskCodec.decode(bytes, APP)).call());
  }

  /** A capturing class that is serializable: the stream checks its serialVersionUID on the receiver. */
  static final class SerializableCapturer implements Serializable {
    private static final long serialVersionUID = 1L;

    static SerializableCallable<Integer> twice(int x) {
      return () -> 2 * x;
    }
  }

  @Test
  void aLambdaOfASerializableCapturingClassIsAJavaStream() throws Exception {
    byte[] bytes = TaskCodec.encodeTask(SerializableCapturer.twice(21));

    assertEquals(JAVA_STREAM, bytes[0]);
    assertEquals(42, ((Callable<?>) TaskCodec.decode(bytes, APP)).call());
  }

  @Test
  void aRunnableAndAMethodReferenceAreCompactToo() throws Exception {
    int[] ran = new int[1];
    SerializableRunnable runnable = CompactFormTest::noop;
    SerializableCallable<Long> reference = System::nanoTime;

    for (Object task : List.of(runnable, reference)) {
      byte[] bytes = TaskCodec.encodeTask(task);
      assertTrue(CompactForm.isCompact(bytes[0]), task.toString());
      Object back = TaskCodec.decode(bytes, APP);
      if (back instanceof Runnable r) {
        r.run();
        ran[0]++;
      } else {
        assertTrue(((Callable<?>) back).call() instanceof Long);
      }
    }
    assertEquals(1, ran[0]);
  }

  private static void noop() {
  }

  @Test
  void aLambdaDecodedInAnotherLoaderRunsInThatLoadersCopyOfItsClass() throws Exception {
    byte[] bytes = TaskCodec.encodeTask(Lambdas.loaderName());
    assertTrue(CompactForm.isCompact(bytes[0]));

    for (String name : List.of("first", "second")) {
      TaskClassLoader loader = new TaskClassLoader(name, path -> {
        try (InputStream in = APP.getResourceAsStream(path)) {
          return in == null ? null : in.readAllBytes();
        }
      });
      assertEquals(name, ((Callable<?>) TaskCodec.decode(bytes, loader)).call());
    }
    assertEquals(APP.getName(), ((Callable<?>) TaskCodec.decode(bytes, APP)).call());
  }

  @Test
  void aCapturingClassTheReceiverCannotFindFailsAsTheStreamWould() {
    byte[] bytes = TaskCodec.encodeTask(Lambdas.loaderName());
    TaskClassLoader empty = new TaskClassLoader("empty", path -> null);

    assertThrows(ClassNotFoundException.class, () -> TaskCodec.decode(bytes, empty));
  }

  @Test
  void malformedCompactBytesFailWithAStreamError() {
    SerializableCallable<Integer> seven = () -> 7;
    byte[] task = TaskCodec.encodeTask(seven);
    List<byte[]> bad = List.of(new byte[] {'I', 0, 0}, new byte[] {'I', 0, 0, 0, 1, 9}, new byte[] {'Z', 2},
        new byte[] {'T', 0, 0, 0, 1, (byte) 0xe9}, new byte[] {'T', (byte) 0xff, 0, 0, 0},
        Arrays.copyOf(task, task.length - 1), withLastCaptured(task));
    for (byte[] b : bad) {
      assertThrows(IOException.class, () -> TaskCodec.decode(b, APP), Arrays.toString(b));
    }
  }

  /** {@code task} (a lambda capturing nothing) claiming one captured value of an unknown tag. */
  private static byte[] withLastCaptured(byte[] task) {
    byte[] b = Arrays.copyOf(task, task.length + 1);
    b[task.length - 1] = 1;
    b[task.length] = 'Q';
    return b;
  }

  @Test
  void anObjectWithoutACompactFormHasNone() {
    assertNull(CompactForm.encode(new Object(), APP));
    assertFalse(CompactForm.isCompact(JAVA_STREAM));
  }
}
