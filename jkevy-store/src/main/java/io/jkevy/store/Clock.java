package io.jkevy.store;

/** Wall-clock milliseconds, injected so tests can drive expiry with synthetic time. */
@FunctionalInterface
public interface Clock {
    long millis();

    Clock SYSTEM = System::currentTimeMillis;
}
