package io.jkevy.engine.script;

import io.jkevy.engine.EngineHarness;
import io.jkevy.resp.RespValue;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The time budget: -BUSY for other clients, SCRIPT KILL / FUNCTION KILL from another thread, UNKILLABLE. */
class ScriptKillTest {
    final EngineHarness h = new EngineHarness();

    /**
     * Waits until the script is past its budget. A command sent earlier would wait for the
     * stripe locks (as a command Redis reads before the budget passes waits for the script).
     */
    void waitBusy(EngineHarness.Client other) throws InterruptedException {
        Scripting s = h.engine.scripting();
        for (int i = 0; i < 500; i++) {
            ScriptRun r = s.running();
            if (r != null && r.busy()) {
                Thread.sleep(20);
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("never busy");
    }

    @Test
    void scriptKillStopsAReadOnlyScriptAndOthersGetBusyMeanwhile() throws Exception {
        h.call("CONFIG", "SET", "busy-reply-threshold", "50");
        EngineHarness.Client runner = h.client();
        EngineHarness.Client other = h.client();
        CompletableFuture<RespValue> f = CompletableFuture.supplyAsync(() -> runner.call("EVAL", "local i = 0 while true do i = i + 1 end", "0"));
        waitBusy(other);
        assertThat(other.call("GET", "x")).isEqualTo(new RespValue.Error(Scripting.BUSY_SCRIPT));
        assertThat(other.call("FUNCTION", "KILL")).isEqualTo(new RespValue.Error(Scripting.BUSY_SCRIPT));
        assertThat(other.call("SCRIPT", "KILL")).isEqualTo(new RespValue.SimpleString("OK"));
        RespValue r = f.get(10, TimeUnit.SECONDS);
        assertThat(((RespValue.Error) r).message()).startsWith("ERR Script killed by user with SCRIPT KILL... script: ");
        assertThat(other.call("SET", "x", "1")).isEqualTo(new RespValue.SimpleString("OK"));
        assertThat(other.call("SCRIPT", "KILL")).isEqualTo(new RespValue.Error(Scripting.NOTBUSY));
    }

    @Test
    void pcallCannotCatchTheKill() throws Exception {
        h.call("CONFIG", "SET", "busy-reply-threshold", "50");
        EngineHarness.Client runner = h.client();
        EngineHarness.Client other = h.client();
        CompletableFuture<RespValue> f = CompletableFuture.supplyAsync(() -> runner.call("EVAL",
                "while true do pcall(function() while true do end end) end", "0"));
        waitBusy(other);
        assertThat(other.call("SCRIPT", "KILL")).isEqualTo(new RespValue.SimpleString("OK"));
        assertThat(f.get(10, TimeUnit.SECONDS)).isInstanceOf(RespValue.Error.class);
    }

    @Test
    void aScriptThatWroteIsUnkillable() throws Exception {
        h.call("CONFIG", "SET", "busy-reply-threshold", "50");
        EngineHarness.Client runner = h.client();
        EngineHarness.Client other = h.client();
        CompletableFuture<RespValue> f = CompletableFuture.supplyAsync(() -> runner.call("EVAL",
                "redis.call('set', 'w', '1') local i = 0 while i < 20000000 do i = i + 1 end return i", "0"));
        waitBusy(other);
        assertThat(other.call("SCRIPT", "KILL")).isEqualTo(new RespValue.Error(Scripting.UNKILLABLE));
        assertThat(f.get(60, TimeUnit.SECONDS)).isEqualTo(new RespValue.Integer(20000000));
        assertThat(other.call("GET", "w")).isEqualTo(new RespValue.Bulk("1".getBytes()));
    }

    @Test
    void functionKill() throws Exception {
        h.call("CONFIG", "SET", "busy-reply-threshold", "50");
        h.call("FUNCTION", "LOAD", "#!lua name=lk\nredis.register_function('spin', function() while true do end end)");
        EngineHarness.Client runner = h.client();
        EngineHarness.Client other = h.client();
        CompletableFuture<RespValue> f = CompletableFuture.supplyAsync(() -> runner.call("FCALL", "spin", "0"));
        waitBusy(other);
        assertThat(other.call("PING")).isEqualTo(new RespValue.Error(Scripting.BUSY_FUNCTION));
        assertThat(other.call("SCRIPT", "KILL")).isEqualTo(new RespValue.Error(Scripting.BUSY_FUNCTION));
        RespValue stats = other.call("FUNCTION", "STATS");
        assertThat(stats.toString()).contains("spin");
        assertThat(other.call("FUNCTION", "KILL")).isEqualTo(new RespValue.SimpleString("OK"));
        assertThat(((RespValue.Error) f.get(10, TimeUnit.SECONDS)).message())
                .isEqualTo("ERR Script killed by user with SCRIPT KILL... script: spin, on @user_function:2.");
    }

    @Test
    void aLoopInsideACoroutineIsKilledToo() throws Exception {
        h.call("CONFIG", "SET", "busy-reply-threshold", "50");
        EngineHarness.Client runner = h.client();
        EngineHarness.Client other = h.client();
        CompletableFuture<RespValue> f = CompletableFuture.supplyAsync(() -> runner.call("EVAL",
                "local co = coroutine.wrap(function() while true do end end) co() return 1", "0"));
        waitBusy(other);
        assertThat(other.call("SCRIPT", "KILL")).isEqualTo(new RespValue.SimpleString("OK"));
        assertThat(f.get(10, TimeUnit.SECONDS)).isInstanceOf(RespValue.Error.class);
        assertThat(other.call("SET", "after", "1")).isEqualTo(new RespValue.SimpleString("OK"));
    }

    @Test
    void aLibraryThatLoopsWhileLoadingTimesOut() {
        RespValue r = h.call("FUNCTION", "LOAD", "#!lua name=spin\nwhile true do end");
        assertThat(r).isInstanceOf(RespValue.Error.class);
        assertThat(((RespValue.Error) r).message()).contains("FUNCTION LOAD timeout");
        assertThat(h.call("FUNCTION", "LIST")).isEqualTo(new RespValue.Array(java.util.List.of()));
    }
}
