package io.antpool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.antpool.AntPoolException;
import io.antpool.client.AntPoolExecutor;
import io.antpool.client.AntPoolOptions;
import io.antpool.protocol.ErrorCode;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS end to end: a self-signed key and certificate made with openssl at test time under the seed's default
 * names in the server's working folder, a server started with {@code /s}, a worker JVM and this JVM's executor
 * on {@code wss://} trusting that certificate, and the ways it must fail: a client that does not trust the
 * certificate, a server whose files are missing.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class TlsIT {
  private static final Pattern READY_TLS = Pattern.compile("AntPool server listening on wss://([0-9.]+):(\\d+)");

  @TempDir
  static Path dir;
  private static Path cert;
  private static ChildJvm server;
  private static ChildJvm worker;
  private static String url;
  private static int port;

  @BeforeAll
  static void startPool() throws Exception {
    Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
        "-keyout", "privkey.key", "-out", "cacert.csr", "-subj", "/CN=localhost",
        "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1")
        .directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(openssl.getInputStream().readAllBytes());
    assertTrue(openssl.waitFor(60, TimeUnit.SECONDS) && openssl.exitValue() == 0, "openssl failed: " + out);
    cert = dir.resolve("cacert.csr");
    server = ChildJvm.start("tls-server", List.of(Pool.java(), "-Xmx256m", "-jar", Pool.jar().toString(), "server",
        "--host", "127.0.0.1", "--port", "0", "/s", "/v"), dir, Map.of());
    port = Integer.parseInt(server.awaitLine(READY_TLS, Pool.START).group(2));
    url = "wss://127.0.0.1:" + port;
    worker = Pool.workerFor(url, 1, "--ca-file", cert.toString());
    Pool.awaitJoined(worker, 1);
  }

  @AfterAll
  static void stopPool() {
    if (worker != null) {
      worker.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void tasksRunOverWssFromAClientAndAWorkerThatTrustTheCertificate() throws Exception {
    try (AntPoolExecutor pool = new AntPoolExecutor(new AntPoolOptions().setUrl(url)
        .setTrustCertFile(cert.toString()))) {
      List<Future<Long>> results = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        long x = i;
        results.add(pool.submit(() -> x * x));
      }
      for (int i = 0; i < 20; i++) {
        assertEquals((long) i * i, results.get(i).get(60, TimeUnit.SECONDS));
      }
    }
  }

  @Test
  void aClientThatDoesNotTrustTheCertificateFailsAtOnceWithTlsFailed() throws Exception {
    // the JVM's default trust store does not hold the self-signed certificate; the connect timeout is long, so a
    // failure within the wait below is the handshake's own, not a timeout's
    try (AntPoolExecutor pool = new AntPoolExecutor(new AntPoolOptions().setUrl(url)
        .setConnectTimeoutMillis(600_000))) {
      Future<String> task = pool.submit(() -> "must not run");
      ExecutionException e = assertThrows(ExecutionException.class, () -> task.get(30, TimeUnit.SECONDS));
      AntPoolException cause = assertInstanceOf(AntPoolException.class, e.getCause());
      assertEquals(ErrorCode.TLS_FAILED, cause.code());
      assertTrue(cause.getMessage().contains("--ca-file"), cause.getMessage());
    }
  }

  @Test
  void trustAllConnectsAndWarnsAtEveryConnect() throws Exception {
    try (ChildJvm insecure = Pool.workerFor(url, 1, "--insecure", "--name", "insecure")) {
      Pool.awaitJoined(insecure, 1);
      assertTrue(insecure.output().contains("INSECURE: connecting to " + url), insecure.output());
    }
    try (AntPoolExecutor pool = new AntPoolExecutor(new AntPoolOptions().setUrl(url).setTrustAll(true))) {
      assertEquals("over wss", pool.submit(() -> "over wss").get(60, TimeUnit.SECONDS));
    }
  }

  @Test
  void theDashboardAnswersOverHttps() throws Exception {
    HttpClient https = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(trusting(cert))
        .build();
    for (String path : List.of("/health", "/antadmin/")) {
      HttpResponse<String> response = https.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port
          + path)).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, response.statusCode(), path + ": " + response.body());
    }
  }

  @Test
  void aServerWithoutItsKeyRefusesToStartAndSaysHowToMakeOne(@TempDir Path empty) throws Exception {
    try (ChildJvm bare = ChildJvm.start("tls-server-no-key", List.of(Pool.java(), "-Xmx256m", "-jar",
        Pool.jar().toString(), "server", "--host", "127.0.0.1", "--port", "0", "/s", "/v"), empty, Map.of())) {
      assertNotEquals(0, bare.awaitExit(Pool.START));
      String output = bare.output();
      assertTrue(output.contains(empty.resolve("privkey.key").toString()), output);
      assertTrue(output.contains("openssl req -x509"), output);
    }
  }

  /** An SSL context that trusts exactly the certificate in PEM file {@code pem}. */
  private static SSLContext trusting(Path pem) throws Exception {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    try (InputStream in = Files.newInputStream(pem)) {
      Certificate certificate = CertificateFactory.getInstance("X.509").generateCertificate(in);
      store.setCertificateEntry("antpool", certificate);
    }
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(store);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context;
  }
}
