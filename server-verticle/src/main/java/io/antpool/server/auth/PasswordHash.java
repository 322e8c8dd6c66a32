package io.antpool.server.auth;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Salted, slow password hashes in the users file: PBKDF2 with HMAC-SHA256 from the JDK, a random 16-byte salt
 * and {@value #ITERATIONS} iterations (OWASP's 2023 figure), written {@code pbkdf2-sha256$ITERATIONS$SALT$HASH}
 * with URL-safe base64. Verifying costs a tenth of a second or so of CPU on purpose: callers run it off the
 * event loop.
 */
public final class PasswordHash {
  /** Iterations of new hashes; a stored hash keeps the count it was made with. */
  public static final int ITERATIONS = 210_000;
  static final String SCHEME = "pbkdf2-sha256";
  private static final int SALT_BYTES = 16;
  private static final int HASH_BITS = 256;
  /** Fewer iterations than this in a stored hash are refused: such a file was not made by AntPool. */
  private static final int MIN_ITERATIONS = 100_000;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder ENCODE = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODE = Base64.getUrlDecoder();

  private PasswordHash() {
  }

  /** A new hash of {@code password}, with a fresh salt. */
  public static String hash(char[] password) {
    byte[] salt = new byte[SALT_BYTES];
    RANDOM.nextBytes(salt);
    return SCHEME + "$" + ITERATIONS + "$" + ENCODE.encodeToString(salt) + "$"
        + ENCODE.encodeToString(pbkdf2(password, salt, ITERATIONS));
  }

  /**
   * Whether {@code password} is the one {@code stored} was made from; the comparison takes the same time
   * wherever the bytes differ.
   *
   * @throws IllegalArgumentException when {@code stored} is not a hash this class writes (never quoting it)
   */
  public static boolean verify(char[] password, String stored) {
    Stored s = parse(stored);
    return MessageDigest.isEqual(s.hash(), pbkdf2(password, s.salt(), s.iterations()));
  }

  /**
   * Checks that {@code stored} is a hash this class writes, without the cost of verifying a password.
   *
   * @throws IllegalArgumentException saying what is wrong (never quoting the hash)
   */
  public static void checkForm(String stored) {
    parse(stored);
  }

  private record Stored(int iterations, byte[] salt, byte[] hash) {
  }

  private static Stored parse(String stored) {
    String[] parts = stored == null ? new String[0] : stored.split("\\$");
    if (parts.length != 4 || !parts[0].equals(SCHEME)) {
      throw new IllegalArgumentException("not a password hash of the form " + SCHEME
          + "$ITERATIONS$SALT$HASH; make one with: antpool user add NAME --role ROLE");
    }
    int iterations;
    byte[] salt;
    byte[] expected;
    try {
      iterations = Integer.parseInt(parts[1]);
      salt = DECODE.decode(parts[2]);
      expected = DECODE.decode(parts[3]);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("a password hash has a bad iteration count, salt or hash; make a new one"
          + " with: antpool user add NAME --role ROLE");
    }
    if (iterations < MIN_ITERATIONS || salt.length < SALT_BYTES || expected.length * 8 != HASH_BITS) {
      throw new IllegalArgumentException("a password hash is weaker than AntPool makes them (at least "
          + MIN_ITERATIONS + " iterations, a 16-byte salt, 256 bits); make a new one with: antpool user add NAME"
          + " --role ROLE");
    }
    return new Stored(iterations, salt, expected);
  }

  private static byte[] pbkdf2(char[] password, byte[] salt, int iterations) {
    PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, HASH_BITS);
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK has no PBKDF2WithHmacSHA256, which every Java 17 JDK has", e);
    } finally {
      spec.clearPassword();
    }
  }

  /** Wipes a password read into an array, once it is hashed or verified. */
  public static void wipe(char[] password) {
    if (password != null) {
      Arrays.fill(password, '\0');
    }
  }
}
