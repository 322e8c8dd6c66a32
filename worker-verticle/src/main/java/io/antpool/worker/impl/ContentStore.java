package io.antpool.worker.impl;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Class files and resources this worker JVM holds, by SHA-256 digest, shared by all sessions and slots: a
 * version of a class that any client sent once is never transferred again, whichever client asks. Bounded
 * by total size; the least recently used versions go first.
 */
final class ContentStore {
  private final long maxBytes;
  private long bytes;
  private final LinkedHashMap<String, Entry> byDigest = new LinkedHashMap<>(256, 0.75f, true);
  private final Map<String, Set<String>> digestsByPath = new java.util.HashMap<>();

  private record Entry(String path, byte[] content) {
  }

  ContentStore(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** The digests of the versions of {@code path} held here, for a fetch to list as known. */
  synchronized List<String> digestsOf(String path) {
    Set<String> digests = digestsByPath.get(path);
    return digests == null ? List.of() : List.copyOf(digests);
  }

  /** The content with this digest, or null if it is not (or no longer) held. */
  synchronized byte[] get(String digest) {
    Entry e = byDigest.get(digest);
    return e == null ? null : e.content;
  }

  synchronized void put(String digest, String path, byte[] content) {
    if (byDigest.containsKey(digest) || content.length > maxBytes) {
      return;
    }
    byDigest.put(digest, new Entry(path, content));
    digestsByPath.computeIfAbsent(path, p -> new HashSet<>()).add(digest);
    bytes += content.length;
    var oldest = byDigest.entrySet().iterator();
    while (bytes > maxBytes && oldest.hasNext()) {
      Map.Entry<String, Entry> victim = oldest.next();
      oldest.remove();
      bytes -= victim.getValue().content.length;
      Set<String> digests = digestsByPath.get(victim.getValue().path);
      digests.remove(victim.getKey());
      if (digests.isEmpty()) {
        digestsByPath.remove(victim.getValue().path);
      }
    }
  }
}
