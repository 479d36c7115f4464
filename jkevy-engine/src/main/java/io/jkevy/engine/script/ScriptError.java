package io.jkevy.engine.script;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaValue;

/**
 * A Lua error raised by the scripting layer (redis.call failures, error(), the global guards)
 * carrying its error object and the "chunk:line" where it was raised, so messages read as in
 * Redis ("user_script:1: ...") whatever LuaJ's own formatting is.
 */
final class ScriptError extends LuaError {
    private final LuaValue object;
    private final String position;

    /**
     * @param object   the error value (a string or a table such as {@code {err=...}})
     * @param position "chunk:line" where it was raised, or null
     * @param prefix   whether a string message is shown as "position: message" (error() level > 0)
     */
    ScriptError(LuaValue object, String position, boolean prefix) { this(object, position, prefix, position); }

    /** As above, with {@code where} the position reported in the reply's "on @..." trailer. */
    ScriptError(LuaValue object, String position, boolean prefix, String where) {
        super(object.isstring() ? object.tojstring() : "error object");
        this.position = where;
        this.object = prefix && object.type() == LuaValue.TSTRING && position != null
                ? LuaValue.valueOf(position + ": " + object.tojstring()) : object;
        this.fileline = null;
    }

    /** An error from a library function: a message without position ("ERR " is added at the top). */
    static ScriptError plain(String msg) { return new ScriptError(LuaValue.valueOf(msg), null, false); }

    LuaValue object() { return object; }

    String position() { return position; }

    @Override public LuaValue getMessageObject() { return object; }

    @Override public String getMessage() { return object.isstring() ? object.tojstring() : object.tojstring(); }
}
