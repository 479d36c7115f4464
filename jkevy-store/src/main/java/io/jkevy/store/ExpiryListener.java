package io.jkevy.store;

/**
 * Told about every key the store removes because its TTL passed (lazily on access or by the
 * active cycle), while the caller still holds the key's stripe lock, so the engine can journal
 * the deletion as an effect ({@code DEL key}) in the same critical section.
 */
@FunctionalInterface
public interface ExpiryListener {
    void expired(int db, byte[] key);

    ExpiryListener NONE = (db, key) -> { };
}
