package io.antpool.protocol;

/**
 * The server's answer to a valid {@link Hello}.
 *
 * @param sessionId the id the server gave this connection; class fetches name it
 * @param protocolVersion the version the server speaks
 * @param serverVersion the AntPool version of the server
 */
public record Welcome(String sessionId, int protocolVersion, String serverVersion) implements Message {
}
