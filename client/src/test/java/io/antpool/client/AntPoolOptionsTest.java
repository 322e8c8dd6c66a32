package io.antpool.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link AntPoolOptions}: safe defaults; setters refuse values that cannot work (fewer than one worker, an
 * isolation mode other than 0, 1, 2, a server address that is not {@code ws(s)://}) with a message saying
 * what is allowed, and leave the options unchanged; the copy constructor copies everything; the password is
 * never printed.
 */
class AntPoolOptionsTest {

  @Test
  void defaults() {
    AntPoolOptions o = new AntPoolOptions();

    assertEquals(URI.create("ws://127.0.0.1:8086"), o.serverUri());
    assertEquals(8, o.getMaxWorkers());
    assertEquals(0, o.getRtype());
    assertEquals(30_000, o.getConnectTimeoutMillis());
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
  void fewerThanOneWorkerIsRefused(int maxWorkers) {
    AntPoolOptions o = new AntPoolOptions().setMaxWorkers(3);

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> o.setMaxWorkers(maxWorkers));

    assertEquals("maxWorkers must be at least 1, got " + maxWorkers, e.getMessage());
    assertEquals(3, o.getMaxWorkers());
  }

  @ParameterizedTest
  @ValueSource(ints = {-1, 3, 42})
  void anIsolationModeOtherThanZeroOneTwoIsRefused(int rtype) {
    AntPoolOptions o = new AntPoolOptions().setRtype(2);

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> o.setRtype(rtype));

    assertEquals("rtype " + rtype + " is not an isolation mode; use 0, 1 or 2", e.getMessage());
    assertEquals(2, o.getRtype());
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2})
  void theThreeIsolationModesAreAccepted(int rtype) {
    assertEquals(rtype, new AntPoolOptions().setRtype(rtype).getRtype());
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://x", "ws://", "", "ws://:8086"})
  void aBadServerAddressIsRefusedAndTheOldOneKept(String url) {
    AntPoolOptions o = new AntPoolOptions().setUrl("ws://pool:9000");

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> o.setUrl(url));

    assertTrue(e.getMessage().contains("ws://"), e.getMessage());
    assertEquals("ws://pool:9000", o.getUrl());
  }

  @Test
  void shortServerAddressesAreNormalized() {
    assertEquals(URI.create("ws://pool:9000"), new AntPoolOptions().setUrl("pool:9000").serverUri());
    assertEquals(URI.create("ws://pool:8086"), new AntPoolOptions().setUrl("pool").serverUri());
    assertEquals(URI.create("wss://pool:1"), new AntPoolOptions().setUrl("wss://pool:1").serverUri());
  }

  @Test
  void aNonPositiveConnectTimeoutIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new AntPoolOptions().setConnectTimeoutMillis(0));

    assertEquals("connectTimeoutMillis must be positive, got 0", e.getMessage());
  }

  @Test
  void theCopyConstructorCopiesEveryOption() {
    AntPoolOptions original = new AntPoolOptions().setUrl("wss://pool:443").setMaxWorkers(64).setRtype(2)
        .setUser("ant").setPassword("s3cret").setConnectTimeoutMillis(5).setName("laptop");

    AntPoolOptions copy = new AntPoolOptions(original);
    original.setMaxWorkers(1).setRtype(0).setUrl("ws://elsewhere").setName("changed");

    assertEquals("wss://pool:443", copy.getUrl());
    assertEquals(64, copy.getMaxWorkers());
    assertEquals(2, copy.getRtype());
    assertEquals("ant", copy.getUser());
    assertEquals("s3cret", copy.getPassword());
    assertEquals(5, copy.getConnectTimeoutMillis());
    assertEquals("laptop", copy.getName());
  }

  @Test
  void thePasswordIsNeverPrinted() {
    String text = new AntPoolOptions().setUser("ant").setPassword("s3cret").toString();

    assertTrue(text.contains("user=ant"), text);
    assertFalse(text.contains("s3cret"), text);
  }

  @Test
  void pendingTasksAndTaskTimeoutHaveSafeDefaultsAndRefuseNonsense() {
    AntPoolOptions o = new AntPoolOptions();
    assertEquals(AntPoolOptions.DEFAULT_MAX_PENDING, o.getMaxPending());
    assertEquals(0, o.getTaskTimeoutMillis(), "no timeout unless asked");

    assertEquals("maxPending must be at least 1, got 0",
        assertThrows(IllegalArgumentException.class, () -> o.setMaxPending(0)).getMessage());
    assertEquals("taskTimeoutMillis must be 0 (no timeout) or positive, got -1",
        assertThrows(IllegalArgumentException.class, () -> o.setTaskTimeoutMillis(-1)).getMessage());
    AntPoolOptions copy = new AntPoolOptions(o.setMaxPending(7).setTaskTimeoutMillis(250));
    assertEquals(7, copy.getMaxPending());
    assertEquals(250, copy.getTaskTimeoutMillis());
  }
}
