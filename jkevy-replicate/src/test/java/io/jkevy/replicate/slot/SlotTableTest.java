package io.jkevy.replicate.slot;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SlotTableTest {
    @Test
    void upsertKeepsTheAckAcrossReconnects() {
        SlotTable t = new SlotTable(60_000);
        t.connected("r1", 100);
        t.acked("r1", 50, 200);
        t.disconnected("r1", 300);
        t.connected("r1", 400);
        assertThat(t.slots()).containsExactly(new SlotTable.Slot("r1", 400, 50, true));
    }

    @Test
    void acksOnlyMoveForward() {
        SlotTable t = new SlotTable(1000);
        t.connected("r", 0);
        t.acked("r", 10, 1);
        t.acked("r", 7, 2);
        assertThat(t.slots().get(0).ackedOffset()).isEqualTo(10);
        t.acked("r", 12, 3);
        assertThat(t.slots().get(0).ackedOffset()).isEqualTo(12);
        assertThat(t.slots().get(0).lastSeenMillis()).isEqualTo(3);
    }

    @Test
    void onlyDisconnectedSlotsExpireAndOnlyAfterTheWindow() {
        SlotTable t = new SlotTable(1000);
        t.connected("live", 0);
        t.connected("gone", 0);
        t.disconnected("gone", 500);
        assertThat(t.expire(1499)).isEmpty();
        assertThat(t.expire(1500)).containsExactly("gone");
        assertThat(t.expire(1_000_000)).isEmpty();           // connected slots never expire
        assertThat(t.size()).isEqualTo(1);
    }

    @Test
    void windowArithmeticSaturates() {
        SlotTable t = new SlotTable(Long.MAX_VALUE);
        t.connected("r", 10);
        t.disconnected("r", Long.MAX_VALUE - 5);
        assertThat(t.expire(Long.MAX_VALUE - 1)).isEmpty();   // no overflow into the past
        assertThat(SlotTable.saturatingAdd(Long.MAX_VALUE, 1)).isEqualTo(Long.MAX_VALUE);
        assertThat(SlotTable.saturatingAdd(5, 6)).isEqualTo(11);
        assertThatThrownBy(() -> new SlotTable(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void minimumAckedAndWaitCounts() {
        SlotTable t = new SlotTable(1000);
        assertThat(t.minimumAcked()).isEqualTo(-1);
        t.connected("a", 0);
        t.connected("b", 0);
        t.connected("c", 0);
        t.acked("a", 30, 1);
        t.acked("b", 20, 1);
        assertThat(t.minimumAcked()).isEqualTo(20);
        assertThat(t.ackedAtLeast(20)).isEqualTo(2);
        assertThat(t.ackedAtLeast(25)).isEqualTo(1);
        t.disconnected("a", 2);
        assertThat(t.ackedAtLeast(20)).isEqualTo(1);          // WAIT counts connected replicas only
        assertThat(t.minimumAcked()).isEqualTo(20);           // but the backlog still keeps a's position
        assertThat(t.goodReplicas(900, 1000)).isEqualTo(2);
        assertThat(t.goodReplicas(5000, 1000)).isZero();
    }
}
