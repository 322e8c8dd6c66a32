package io.antpool.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * The server's token in a file only its user can read (default {@code ~/.antpool/token}): the server writes it
 * on its first start and reuses it after, and clients and workers on the same machine read it, so a pool on one
 * machine needs no configuration while nobody else can submit code to it.
 *
 * <p>Creation is atomic: the token is written to a private temporary file (0600, in a folder created 0700) and
 * linked to the final name, which fails if the name exists; so two servers starting at once end up with the
 * same token, and a reader never sees a half-written file.
 */
public final class TokenFile {
  /** Random bytes in a token: 256 bits. */
  static final int TOKEN_BYTES = 32;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

  private TokenFile() {
  }

  /** {@code ~/.antpool/token}, where a server writes its token unless told otherwise ({@code tokenFile}). */
  public static Path defaultPath() {
    return Path.of(System.getProperty("user.home"), ".antpool", "token");
  }

  /**
   * The token in {@code file}; empty when there is no such file.
   *
   * @throws UncheckedIOException when the file exists but cannot be read, naming the file
   */
  public static Optional<String> read(Path file) {
    try {
      String token = Files.readString(file, StandardCharsets.US_ASCII).strip();
      return token.isEmpty() ? Optional.empty() : Optional.of(token);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the AntPool token file " + file + ": " + e.getMessage()
          + "; check its permissions (it must be readable by this user only)", e);
    }
  }

  /**
   * The token in {@code file}, made and stored there first if the file does not exist yet.
   *
   * @throws UncheckedIOException naming the file when it cannot be read or written
   */
  public static String readOrCreate(Path file) {
    Optional<String> existing = read(file);
    if (existing.isPresent()) {
      return existing.get();
    }
    Path folder = file.toAbsolutePath().getParent();
    Path temp = null;
    try {
      if (!Files.isDirectory(folder)) {
        Files.createDirectories(folder, attributes("rwx------"));
      }
      temp = Files.createTempFile(folder, ".token", ".tmp", attributes("rw-------"));
      Files.writeString(temp, newToken() + "\n", StandardCharsets.US_ASCII);
      try {
        Files.createLink(file, temp);
      } catch (FileAlreadyExistsException e) {
        // another server made it first: its token is the one
      } catch (UnsupportedOperationException e) {
        Files.move(temp, file); // no hard links here: fails, as the link does, if the file exists
        temp = null;
      }
    } catch (FileAlreadyExistsException e) {
      // another server made it first, between our read and our move
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the AntPool token file " + file + ": " + e.getMessage()
          + "; make its folder writable, or choose another file with tokenFile", e);
    } finally {
      deleteQuietly(temp);
    }
    return read(file).orElseThrow(() -> new UncheckedIOException(new IOException("the AntPool token file "
        + file + " is empty; delete it and start the server again to make a new token")));
  }

  /** A new random token: 32 bytes from {@link SecureRandom}, URL-safe base64 without padding (43 characters). */
  public static String newToken() {
    byte[] bytes = new byte[TOKEN_BYTES];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static FileAttribute<?>[] attributes(String permissions) {
    return POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(
        PosixFilePermissions.fromString(permissions))} : new FileAttribute<?>[0];
  }

  private static void deleteQuietly(Path temp) {
    if (temp != null) {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException e) {
        // a stray temporary file is harmless: it holds a token nobody uses
      }
    }
  }
}
