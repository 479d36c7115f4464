/**
 * The data: databases, the keyspace, value types, expiry and per-key versions.
 *
 * <p>Owns: {@link io.jkevy.store.Keyspace} (16 databases split into lock stripes),
 * {@link io.jkevy.store.Db} (one database), {@link io.jkevy.store.KeyTable} (an
 * open-addressing table with parallel arrays — no object per entry), lazy and active
 * expiry, and the version (journal offset) of the write that last touched each key.
 *
 * <p>Does not: read a clock (time arrives as a {@link io.jkevy.store.Clock}), journal
 * anything (an expired key is reported to an {@link io.jkevy.store.ExpiryListener}, which
 * the engine wires to the journal), or take locks on behalf of callers: every method on a
 * {@code Db} assumes the caller holds the stripe lock of the key it touches
 * ({@link io.jkevy.store.Keyspace#lockStripe(int)}).
 *
 * <p>Keys and values are {@code byte[]}; a string value is stored as the {@code byte[]}
 * itself, so a SET keeps the array the parser allocated and copies nothing.
 */
package io.jkevy.store;
