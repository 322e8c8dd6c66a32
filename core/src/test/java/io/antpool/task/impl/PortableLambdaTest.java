package io.antpool.task.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.antpool.SerializableCallable;
import io.antpool.SerializableFunction;
import io.antpool.SerializableRunnable;
import io.antpool.task.TaskCodec;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.Serializable;
import java.lang.invoke.MethodHandleInfo;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Lambdas of AntPool's interfaces travel as {@link PortableLambda} and come back as {@link LinkedLambda}s that
 * behave as the original: every kind of method a lambda or method reference can stand for, the conversions
 * between its declared and instantiated types, exceptions, and sending a rebuilt lambda on again.
 */
class PortableLambdaTest {
  private static final ClassLoader APP = PortableLambdaTest.class.getClassLoader();

  @SuppressWarnings("unchecked")
  private static <T> T roundTrip(T task) throws Exception {
    return (T) TaskCodec.decode(TaskCodec.encodeTask(task), APP);
  }

  private static Object callOf(Object task) throws Exception {
    return ((Callable<?>) task).call();
  }

  @Test
  void aCapturingLambdaIsRebuiltWithoutAClassOfItsOwn() throws Exception {
    int base = 40;
    String suffix = "!";
    SerializableCallable<String> task = () -> (base + 2) + suffix;

    SerializableCallable<String> back = roundTrip(task);

    assertInstanceOf(LinkedLambda.Callable.class, back);
    assertFalse(back.getClass().isHidden());
    assertEquals("42!", back.call());
  }

  static final class Holder implements Serializable {
    private final int value;

    Holder(int value) {
      this.value = value;
    }

    int timesValue() {
      return 3 * value;
    }

    private int secret() {
      return -1;
    }

    SerializableCallable<Integer> privateLambda() {
      return () -> secret() + value;
    }
  }

  @Test
  void everyKindOfMethodReferenceWorks() throws Exception {
    SerializableCallable<Long> statically = System::nanoTime;
    SerializableFunction<String, Integer> unbound = String::length;
    String text = "antpool";
    SerializableCallable<String> bound = text::toUpperCase;
    SerializableFunction<Integer, List<Object>> constructor = ArrayList::new;
    SerializableCallable<Integer> privateInstance = new Holder(7).privateLambda();

    assertTrue(roundTrip(statically).call() > 0);
    assertEquals(7, roundTrip(unbound).apply("antpool"));
    assertEquals("ANTPOOL", roundTrip(bound).call());
    assertEquals(new ArrayList<>(), roundTrip(constructor).apply(16));
    assertEquals(6, roundTrip(privateInstance).call());
  }

  @Test
  void argumentsAreUnboxedAndWidenedAsTheLambdaWould() throws Exception {
    SerializableFunction<Integer, Long> widen = PortableLambdaTest::square;
    SerializableFunction<Integer, Long> back = roundTrip(widen);

    assertEquals(81L, back.apply(9));
    assertThrows(NullPointerException.class, () -> back.apply(null));
  }

  private static long square(long x) {
    return x * x;
  }

  private static final AtomicInteger RUNS = new AtomicInteger();

  private static int countRun() {
    return RUNS.incrementAndGet();
  }

  @Test
  void aRunnableRunsAMethodThatReturnsAValueAndDropsTheValue() throws Exception {
    SerializableRunnable count = PortableLambdaTest::countRun;
    SerializableRunnable back = roundTrip(count);
    int before = RUNS.get();

    back.run();

    assertInstanceOf(LinkedLambda.Runnable.class, back);
    assertEquals(before + 1, RUNS.get());
  }

  @Test
  void checkedAndUncheckedExceptionsPropagateUnchanged() throws Exception {
    SerializableCallable<Integer> checked = () -> {
      throw new IOException("disk full");
    };
    SerializableRunnable unchecked = () -> {
      throw new IllegalStateException("boom");
    };

    assertEquals("disk full", assertThrows(IOException.class, () -> roundTrip(checked).call()).getMessage());
    assertEquals("boom", assertThrows(IllegalStateException.class, () -> roundTrip(unchecked).run()).getMessage());
  }

  @Test
  void aRebuiltLambdaTravelsOnAndLambdasInsideValuesAreRebuiltToo() throws Exception {
    SerializableFunction<Integer, Integer> inner = x -> x + 1;
    SerializableCallable<Integer> outer = () -> inner.apply(41);

    SerializableCallable<Integer> twice = roundTrip(roundTrip(outer));
    assertEquals(42, twice.call());

    @SuppressWarnings("unchecked")
    List<SerializableFunction<Integer, Integer>> list =
        (List<SerializableFunction<Integer, Integer>>) TaskCodec.decode(TaskCodec.encodeValue(
            new ArrayList<>(List.of(inner))), APP);
    assertInstanceOf(LinkedLambda.Function.class, list.get(0));
    assertEquals(3, list.get(0).apply(2));
  }

  @Test
  void lambdasOfOtherInterfacesTakeTheStandardPath() throws Exception {
    Callable<Integer> intersection = (Callable<Integer> & Serializable) () -> 6 * 7;

    Callable<Integer> back = roundTrip(intersection);

    assertTrue(back.getClass().isHidden(), "a JDK-spun lambda class: " + back.getClass());
    assertEquals(42, back.call());
  }

  @Test
  void aFormNamingAMethodTheCapturingClassCannotCallIsRefused() throws Exception {
    SerializedLambda real = serializedFormOf(new Holder(1).privateLambda());
    // the same lambda, pointed at a private method of another class: the JVM would never link it
    SerializedLambda forged = new SerializedLambda(Holder.class, real.getFunctionalInterfaceClass(),
        real.getFunctionalInterfaceMethodName(), real.getFunctionalInterfaceMethodSignature(),
        MethodHandleInfo.REF_invokeStatic, Outsider.class.getName().replace('.', '/'), "hidden",
        "()Ljava/lang/Integer;", real.getInstantiatedMethodType(), new Object[0]);
    Object portable = PortableLambda.replacing(forged, APP);
    assertInstanceOf(PortableLambda.class, portable);

    InvalidObjectException refused = assertThrows(InvalidObjectException.class,
        () -> TaskCodec.decode(TaskCodec.encodeValue(portable), APP));
    assertTrue(refused.getMessage().contains("hidden"), refused.getMessage());
    assertEquals(0, Outsider.CALLS.get(), "the private method never ran");
  }

  @Test
  void aLambdaWhoseCapturingClassTheReceiverCannotSeeIsLeftInItsStandardForm() throws Exception {
    SerializedLambda real = serializedFormOf(new Holder(1).privateLambda());
    ClassLoader jdkOnly = ClassLoader.getPlatformClassLoader();

    assertSame(real, PortableLambda.replacing(real, jdkOnly));
  }

  private static SerializedLambda serializedFormOf(Object lambda) throws Exception {
    Method writeReplace = lambda.getClass().getDeclaredMethod("writeReplace");
    writeReplace.setAccessible(true);
    return (SerializedLambda) writeReplace.invoke(lambda);
  }
}

/** Not a nestmate of the test's classes: its private method is out of their reach. */
final class Outsider {
  static final AtomicInteger CALLS = new AtomicInteger();

  private Outsider() {
  }

  private static Integer hidden() {
    return CALLS.incrementAndGet();
  }
}
