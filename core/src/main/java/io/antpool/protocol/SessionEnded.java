package io.antpool.protocol;

/**
 * Server to workers: a client session is gone for good, so its cached classes and its session class loaders
 * (isolation mode 2) can be released.
 *
 * @param session the session that ended
 */
public record SessionEnded(String session) implements Message {
}
