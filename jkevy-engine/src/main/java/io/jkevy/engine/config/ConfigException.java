package io.jkevy.engine.config;

/** A value that a config entry refused; the message says why (without the "ERR" prefix). */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) { super(message, null, false, false); }
}
