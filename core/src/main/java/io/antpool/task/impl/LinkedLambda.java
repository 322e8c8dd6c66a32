package io.antpool.task.impl;

import io.antpool.SerializableCallable;
import io.antpool.SerializableFunction;
import io.antpool.SerializableRunnable;
import java.lang.invoke.MethodHandle;

/**
 * A lambda of one of AntPool's functional interfaces, rebuilt from its {@link PortableLambda} without spinning
 * a class: it calls the implementation method through a handle of type {@code (Object[], Object...)Object}
 * (see {@link LambdaLinker}) with the captured values. It serializes back to the same form, so it can be sent
 * on or returned. Whatever the implementation throws propagates unchanged, as from the lambda itself.
 */
abstract sealed class LinkedLambda implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  private final transient PortableLambda form;
  final transient MethodHandle handle;
  final transient Object[] captured;

  LinkedLambda(PortableLambda form, MethodHandle handle) {
    this.form = form;
    this.handle = handle;
    this.captured = form.capturedArgs();
  }

  /** Called by Java serialization: this lambda travels as its portable form. */
  final Object writeReplace() {
    return form;
  }

  @Override
  public String toString() {
    return form.implClass().replace('/', '.') + "::" + form.implMethodName() + " (as "
        + form.functionalInterfaceClass().replace('/', '.') + ")";
  }

  /** Throws {@code t}, checked or not, without wrapping: a lambda body may throw anything. */
  @SuppressWarnings("unchecked")
  static <T extends Throwable> RuntimeException rethrow(Throwable t) throws T {
    throw (T) t;
  }

  static final class Callable<V> extends LinkedLambda implements SerializableCallable<V> {
    private static final long serialVersionUID = 1L;

    Callable(PortableLambda form, MethodHandle handle) {
      super(form, handle);
    }

    @Override
    @SuppressWarnings("unchecked")
    public V call() throws Exception {
      try {
        return (V) (Object) handle.invokeExact(captured);
      } catch (Exception | Error e) {
        throw e;
      } catch (Throwable t) {
        throw LinkedLambda.<RuntimeException>rethrow(t);
      }
    }
  }

  static final class Runnable extends LinkedLambda implements SerializableRunnable {
    private static final long serialVersionUID = 1L;

    Runnable(PortableLambda form, MethodHandle handle) {
      super(form, handle);
    }

    @Override
    public void run() {
      try {
        Object ignored = (Object) handle.invokeExact(captured);
      } catch (Throwable t) {
        throw LinkedLambda.<RuntimeException>rethrow(t);
      }
    }
  }

  static final class Function<T, R> extends LinkedLambda implements SerializableFunction<T, R> {
    private static final long serialVersionUID = 1L;

    Function(PortableLambda form, MethodHandle handle) {
      super(form, handle);
    }

    @Override
    @SuppressWarnings("unchecked")
    public R apply(T argument) {
      try {
        return (R) (Object) handle.invokeExact(captured, (Object) argument);
      } catch (Throwable t) {
        throw LinkedLambda.<RuntimeException>rethrow(t);
      }
    }
  }
}
