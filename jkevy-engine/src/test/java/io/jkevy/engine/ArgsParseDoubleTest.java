package io.jkevy.engine;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Args.parseDouble: the allocation-free integer fast path agrees with the general parser. */
class ArgsParseDoubleTest {
    private static double p(String s) { return Args.parseDouble(s.getBytes(StandardCharsets.ISO_8859_1)); }

    @Test
    void integersParseExactly() {
        String[] cases = {"0", "7", "-7", "007", "-007", "123456789012345", "-123456789012345",
                "1234567890123456", "9007199254740993", "-9223372036854775808", "99999999999999999999"};
        for (String s : cases) {
            assertThat(Double.doubleToRawLongBits(p(s))).as(s).isEqualTo(Double.doubleToRawLongBits(Double.parseDouble(s)));
        }
        assertThat(Double.doubleToRawLongBits(p("-0"))).isEqualTo(Double.doubleToRawLongBits(-0.0));
        assertThat(Double.doubleToRawLongBits(p("0"))).isEqualTo(0L);
    }

    @Test
    void everythingElseStillGoesThroughTheGeneralParser() {
        assertThat(p("+5")).isEqualTo(5.0);
        assertThat(p("1.5")).isEqualTo(1.5);
        assertThat(p("-1e3")).isEqualTo(-1000.0);
        assertThat(p("inf")).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(p("-inf")).isEqualTo(Double.NEGATIVE_INFINITY);
        for (String bad : new String[] {"", "-", "1a", "a1", " 1", "1 ", "nan", "--1", "1-", "0x10"}) {
            assertThatThrownBy(() -> p(bad)).as(bad).isInstanceOf(CommandError.class);
        }
    }
}
