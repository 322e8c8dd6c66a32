package io.antpool.protocol;

/**
 * Answer to {@link Fetch}. The payload is the resource's bytes when {@code found}.
 *
 * @param requestId the request answered
 * @param found whether the client had the resource
 * @param error why the fetch failed when it could not be answered (client gone); null otherwise
 */
public record FetchReply(long requestId, boolean found, String error) implements Message {
}
