package io.antpool.protocol;

/**
 * Answer to {@link Fetch}. The payload is the resource's bytes when {@code found}.
 *
 * @param requestId the request answered
 * @param found whether the client had the resource
 * @param error why the fetch failed when it could not be answered (client gone); null otherwise
 * @param sha256 when found, the SHA-256 digest (lower-case hex) of the resource; when it is one of the fetch's
 *     {@code known} digests the payload is empty and the worker uses its cached copy
 */
public record FetchReply(long requestId, boolean found, String error, String sha256) implements Message {

  /** A reply without a digest (not found, or an error). */
  public FetchReply(long requestId, boolean found, String error) {
    this(requestId, found, error, null);
  }

  /** Whether the bytes are left out because the worker already holds this version. */
  public boolean bytesOmitted(io.vertx.core.buffer.Buffer payload) {
    return found && sha256 != null && payload.length() == 0;
  }
}
