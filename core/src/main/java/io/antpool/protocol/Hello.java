package io.antpool.protocol;

/**
 * First frame a peer sends after the WebSocket opens (and an in-process worker sends on the event bus). The
 * server answers {@link Welcome} or an {@link ErrorReply} followed by a close.
 *
 * @param role what the peer will do
 * @param protocolVersion must be {@link Protocol#VERSION}
 * @param peer facts about the peer
 * @param token credential for servers that require one; may be null
 */
public record Hello(Role role, int protocolVersion, PeerInfo peer, String token) implements Message {
}
