package io.jkevy.engine.memory;

/**
 * Told about every key the maxmemory policy evicts, after the key is gone and its DEL was
 * journaled, on the evicting thread while it holds the key's stripe lock: keep it short and
 * take no other stripe lock (keyspace notifications "evicted" hook in here).
 */
@FunctionalInterface
public interface EvictionListener {
    EvictionListener NONE = (db, key) -> { };

    void evicted(int db, byte[] key);
}
