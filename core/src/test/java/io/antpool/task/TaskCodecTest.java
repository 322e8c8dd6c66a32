package io.antpool.task;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.antpool.RemoteTaskException;
import io.antpool.SerializableCallable;
import io.antpool.TaskNotSerializableException;
import io.antpool.protocol.ErrorCode;
import io.antpool.task.fixtures.Sample;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.NotSerializableException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link TaskCodec}: tasks, values and exceptions go through Java serialization, and when they cannot, the
 * error names the offending class and says what to change; an exception that does not serialize still
 * reaches the caller as a {@link RemoteTaskException} carrying its class name, message, stack trace and
 * causes.
 */
class TaskCodecTest {
  private static final ClassLoader APP = TaskCodecTest.class.getClassLoader();

  /** A task class that forgot {@code implements Serializable}. */
  static final class PlainTask implements Callable<Integer> {
    @Override
    public Integer call() {
      return 1;
    }
  }

  /** Something a task may capture that cannot travel. */
  static final class Helper {
  }

  /** A serializable task that holds a non-serializable object. */
  static final class CapturingTask implements Callable<Integer>, Serializable {
    private static final long serialVersionUID = 1L;
    private final Helper helper = new Helper();

    @Override
    public Integer call() {
      return helper.hashCode();
    }
  }

  /** A serializable task that reaches a non-serializable object through a collection. */
  static final class DeepTask implements Callable<Integer>, Serializable {
    private static final long serialVersionUID = 1L;
    private final List<Object> things = new ArrayList<>(List.of("fine", 42, new Helper()));

    @Override
    public Integer call() {
      return things.size();
    }
  }

  /** An exception that does not serialize because of a field. */
  static final class UnportableException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final Helper handle = new Helper();

    UnportableException(String message) {
      super(message);
    }

    UnportableException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  @Test
  void aTaskClassThatIsNotSerializableIsNamedWithTheFix() {
    TaskNotSerializableException e = assertThrows(TaskNotSerializableException.class,
        () -> TaskCodec.encodeTask(new PlainTask()));

    assertEquals(ErrorCode.NOT_SERIALIZABLE, e.code());
    assertTrue(e.getMessage().contains("task class " + PlainTask.class.getName() + " is not Serializable"),
        e.getMessage());
    assertTrue(e.getMessage().contains("implement java.io.Serializable"), e.getMessage());
    assertTrue(e.getMessage().contains("SerializableCallable"), e.getMessage());
    assertInstanceOf(NotSerializableException.class, e.getCause());
  }

  @Test
  void aPlainLambdaGetsTheSerializableCallableHint() {
    Callable<Integer> lambda = () -> 6 * 7;

    TaskNotSerializableException e = assertThrows(TaskNotSerializableException.class,
        () -> TaskCodec.encodeTask(lambda));

    assertTrue(e.getMessage().contains(lambda.getClass().getName()), e.getMessage());
    assertTrue(e.getMessage().contains("submit(SerializableCallable)"), e.getMessage());
  }

  @Test
  void aCapturedNonSerializableObjectIsNamedRatherThanTheTask() {
    TaskNotSerializableException e = assertThrows(TaskNotSerializableException.class,
        () -> TaskCodec.encodeTask(new CapturingTask()));

    assertTrue(e.getMessage().startsWith("class " + Helper.class.getName() + ", captured by or reachable from task "
        + CapturingTask.class.getName() + ", is not Serializable"), e.getMessage());
    assertTrue(e.getMessage().contains("transient"), e.getMessage());
  }

  @Test
  void anObjectReachableThroughACollectionIsNamed() {
    TaskNotSerializableException e = assertThrows(TaskNotSerializableException.class,
        () -> TaskCodec.encodeTask(new DeepTask()));

    assertTrue(e.getMessage().startsWith("class " + Helper.class.getName() + ", captured"), e.getMessage());
  }

  @Test
  void aSerializableLambdaCapturingANonSerializableObjectNamesThatObject() {
    Helper helper = new Helper();
    SerializableCallable<Integer> lambda = () -> helper.hashCode();

    TaskNotSerializableException e = assertThrows(TaskNotSerializableException.class,
        () -> TaskCodec.encodeTask(lambda));

    assertTrue(e.getMessage().startsWith("class " + Helper.class.getName() + ", captured"), e.getMessage());
  }

  @Test
  void theMessageGivesThePathFromTheTaskAndAFixForThatField() {
    TaskNotSerializableException e = assertThrows(TaskNotSerializableException.class,
        () -> TaskCodec.encodeTask(new CapturingTask()));

    String helper = Helper.class.getName();
    String task = CapturingTask.class.getName();
    assertEquals("class " + helper + ", captured by or reachable from task " + task + ", is not Serializable."
        + " Path: task " + task + " -> field 'helper' (" + helper + "). Fix: implement java.io.Serializable on "
        + helper + ", mark field 'helper' transient (and create its value inside the task), or capture only"
        + " serializable values", e.getMessage());
  }

  @Test
  void theMessageGivesThePathThroughACollection() {
    TaskNotSerializableException e = assertThrows(TaskNotSerializableException.class,
        () -> TaskCodec.encodeTask(new DeepTask()));

    assertTrue(e.getMessage().contains("Path: task " + DeepTask.class.getName() + " -> field 'things'"
        + " (java.util.ArrayList) -> element [2] (" + Helper.class.getName() + "). Fix: "), e.getMessage());
  }

  @Test
  void aLambdasCapturedValueIsNumberedAndTheFixIsAboutCapturing() {
    Helper helper = new Helper();
    SerializableCallable<Integer> lambda = () -> helper.hashCode();

    TaskNotSerializableException e = assertThrows(TaskNotSerializableException.class,
        () -> TaskCodec.encodeTask(lambda));

    assertTrue(e.getMessage().contains(" -> captured value #1 (" + Helper.class.getName() + "). Fix: "),
        e.getMessage());
    assertTrue(e.getMessage().contains("let the lambda capture only serializable values"), e.getMessage());
  }

  @Test
  void anAnonymousClassHoldingItsEnclosingObjectGetsTheStaticMethodFix() {
    SerializableCallable<String> anonymous = new SerializableCallable<>() {
      @Override
      public String call() {
        return "never runs";
      }
    };

    TaskNotSerializableException e = assertThrows(TaskNotSerializableException.class,
        () -> TaskCodec.encodeTask(anonymous));

    assertTrue(e.getMessage().contains("(" + getClass().getName() + ", the enclosing instance)"), e.getMessage());
    assertTrue(e.getMessage().contains("create the task in a static method"), e.getMessage());
  }

  @Test
  void aSerializableTaskRoundTrips() throws Exception {
    SerializableCallable<String> task = () -> "forty-two";

    Object decoded = TaskCodec.decode(TaskCodec.encodeTask(task), APP);

    assertEquals("forty-two", ((Callable<?>) decoded).call());
  }

  @Test
  void aNonSerializableValueIsNamedWithTheFix() {
    TaskNotSerializableException e = assertThrows(TaskNotSerializableException.class,
        () -> TaskCodec.encodeValue(new Helper()));

    assertEquals(ErrorCode.NOT_SERIALIZABLE, e.code());
    assertTrue(e.getMessage().contains("result of type " + Helper.class.getName()), e.getMessage());
    assertTrue(e.getMessage().contains("return a serializable value"), e.getMessage());
  }

  /**
   * The buffer form of a value holds exactly the bytes of the array form, whatever its size (it is written in
   * chunks that double up to a cap, and joined without copying), and decodes from the buffer in place.
   */
  @ParameterizedTest(name = "a byte[] of {0} bytes")
  @ValueSource(ints = {0, 100, 5000, 3 * 1024 * 1024 + 17})
  void aValueEncodedToABufferHasTheBytesOfTheArrayFormAndDecodesInPlace(int size) throws Exception {
    byte[] value = new byte[size];
    new Random(size).nextBytes(value);

    Buffer buffer = TaskCodec.encodeValueToBuffer(value);

    assertArrayEquals(TaskCodec.encodeValue(value), buffer.getBytes());
    assertArrayEquals(value, (byte[]) TaskCodec.decode(buffer, APP));
    assertArrayEquals(value, (byte[]) TaskCodec.decode(buffer.slice(0, buffer.length()), APP));
  }

  @Test
  void aValueThatDoesNotSerializeToABufferGetsTheSameError() {
    Object value = new ArrayList<>(List.of("fine", new Helper()));
    String expected = assertThrows(TaskNotSerializableException.class, () -> TaskCodec.encodeValue(value))
        .getMessage();

    TaskNotSerializableException e = assertThrows(TaskNotSerializableException.class,
        () -> TaskCodec.encodeValueToBuffer(value));

    assertEquals(expected, e.getMessage());
  }

  @Test
  void aNonSerializableObjectInsideAValueIsNamedWithItsPath() {
    TaskNotSerializableException e = assertThrows(TaskNotSerializableException.class,
        () -> TaskCodec.encodeValue(new ArrayList<>(List.of("fine", new Helper()))));

    assertEquals("the task's result of type java.util.ArrayList cannot be sent back: " + Helper.class.getName()
        + " is not Serializable (path: result java.util.ArrayList -> element [1] (" + Helper.class.getName()
        + ")); return a serializable value (implement java.io.Serializable on " + Helper.class.getName()
        + ", or return the data it holds)", e.getMessage());
  }

  @Test
  void valuesRoundTripIncludingNull() throws Exception {
    assertNull(TaskCodec.decode(TaskCodec.encodeValue(null), APP));
    assertEquals(List.of(1, 2, 3), TaskCodec.decode(TaskCodec.encodeValue(new ArrayList<>(List.of(1, 2, 3))), APP));
  }

  @Test
  void aSerializableExceptionTravelsAsItself() throws Exception {
    IllegalStateException thrown = new IllegalStateException("boom", new IOException("disk full"));

    Object decoded = TaskCodec.decode(TaskCodec.encodeThrowable(thrown), APP);

    IllegalStateException copy = assertInstanceOf(IllegalStateException.class, decoded);
    assertEquals("boom", copy.getMessage());
    assertArrayEquals(thrown.getStackTrace(), copy.getStackTrace());
    IOException cause = assertInstanceOf(IOException.class, copy.getCause());
    assertEquals("disk full", cause.getMessage());
  }

  @Test
  void anUnserializableExceptionBecomesARemoteTaskExceptionWithItsClassMessageAndTrace() throws Exception {
    UnportableException thrown = new UnportableException("handle went stale");

    Object decoded = TaskCodec.decode(TaskCodec.encodeThrowable(thrown), APP);

    RemoteTaskException remote = assertInstanceOf(RemoteTaskException.class, decoded);
    assertEquals(UnportableException.class.getName(), remote.remoteClassName());
    assertEquals(UnportableException.class.getName() + ": handle went stale", remote.getMessage());
    assertEquals(ErrorCode.TASK_FAILED, remote.code());
    assertArrayEquals(thrown.getStackTrace(), remote.getStackTrace());
    assertNull(remote.getCause());
  }

  @Test
  void theCausesOfAnUnserializableExceptionAreConvertedTheSameWay() throws Exception {
    IllegalArgumentException root = new IllegalArgumentException("bad input");
    UnportableException middle = new UnportableException(null, root);
    RuntimeException top = new RuntimeException("task failed", middle);

    Object decoded = TaskCodec.decode(TaskCodec.encodeThrowable(top), APP);

    RemoteTaskException remoteTop = assertInstanceOf(RemoteTaskException.class, decoded);
    assertEquals("java.lang.RuntimeException", remoteTop.remoteClassName());
    assertEquals("java.lang.RuntimeException: task failed", remoteTop.getMessage());
    assertArrayEquals(top.getStackTrace(), remoteTop.getStackTrace());

    RemoteTaskException remoteMiddle = assertInstanceOf(RemoteTaskException.class, remoteTop.getCause());
    assertEquals(UnportableException.class.getName(), remoteMiddle.remoteClassName());
    assertEquals(UnportableException.class.getName(), remoteMiddle.getMessage(), "a null message adds nothing");
    assertArrayEquals(middle.getStackTrace(), remoteMiddle.getStackTrace());

    RemoteTaskException remoteRoot = assertInstanceOf(RemoteTaskException.class, remoteMiddle.getCause());
    assertEquals("java.lang.IllegalArgumentException", remoteRoot.remoteClassName());
    assertEquals("java.lang.IllegalArgumentException: bad input", remoteRoot.getMessage());
    assertArrayEquals(root.getStackTrace(), remoteRoot.getStackTrace());
    assertNull(remoteRoot.getCause());
  }

  @Test
  void aCycleOfCausesEndsInsteadOfRecursingForever() throws Exception {
    UnportableException first = new UnportableException("first");
    IllegalStateException second = new IllegalStateException("second", first);
    first.initCause(second); // first -> second -> first, as some libraries build them

    Object decoded = TaskCodec.decode(TaskCodec.encodeThrowable(first), APP);

    RemoteTaskException remoteFirst = assertInstanceOf(RemoteTaskException.class, decoded);
    assertEquals(UnportableException.class.getName() + ": first", remoteFirst.getMessage());
    RemoteTaskException remoteSecond = assertInstanceOf(RemoteTaskException.class, remoteFirst.getCause());
    assertEquals("java.lang.IllegalStateException: second", remoteSecond.getMessage());
    assertNull(remoteSecond.getCause(), "the cycle is cut where it closes");
  }

  @Test
  void bytesThatAreNotASerializedObjectFailWithIOException() {
    byte[] garbage = "definitely not java serialization".getBytes(StandardCharsets.UTF_8);

    assertThrows(IOException.class, () -> TaskCodec.decode(garbage, APP));
  }

  @Test
  void aClassThatDiffersBetweenClientAndWorkerIsExplained() {
    byte[] bytes = TaskCodec.encodeTask(new Sample(new int[] {1}, 2, 3, true, int.class, new long[0][]));
    patchSerialVersionUid(bytes, Sample.class.getName(), 2L);

    InvalidClassException e = assertThrows(InvalidClassException.class, () -> TaskCodec.decode(bytes, APP));

    assertEquals(Sample.class.getName(), e.classname);
    assertTrue(e.getMessage().contains("serialVersionUID"), e.getMessage());
    assertTrue(e.getMessage().contains("the class differs between client and worker"), e.getMessage());
  }

  /** Rewrites the serialVersionUID that follows a class name in a serialization stream. */
  private static void patchSerialVersionUid(byte[] stream, String className, long uid) {
    byte[] name = className.getBytes(StandardCharsets.UTF_8);
    outer:
    for (int i = 0; i + name.length + 8 <= stream.length; i++) {
      for (int j = 0; j < name.length; j++) {
        if (stream[i + j] != name[j]) {
          continue outer;
        }
      }
      for (int k = 0; k < 8; k++) {
        stream[i + name.length + k] = (byte) (uid >>> (56 - 8 * k));
      }
      return;
    }
    throw new AssertionError(className + " not found in the stream");
  }
}
