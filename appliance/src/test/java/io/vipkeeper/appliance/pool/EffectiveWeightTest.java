package io.vipkeeper.appliance.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipkeeper.appliance.pool.PoolPolicy.Effective;
import io.vipkeeper.appliance.pool.PoolPolicy.Placement;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** The effective-weight truth table of {@link PoolPolicy#effective}, row by row, over every input. */
class EffectiveWeightTest {

    @Provide
    Arbitrary<BackendAdmin> admins() {
        return Combinators.combine(Arbitraries.of(AdminState.class),
                Arbitraries.integers().between(0, BackendAdmin.MAX_WEIGHT).injectNull(0.5)).as(BackendAdmin::new);
    }

    @Property
    void aDisabledBackendIsOutWhateverElseHolds(@ForAll @IntRange(max = 65535) int config, @ForAll("admins") BackendAdmin a,
            @ForAll boolean up, @ForAll boolean inhibit, @ForAll boolean sorry) {
        BackendAdmin disabled = new BackendAdmin(AdminState.DISABLED, a.weight());
        assertEquals(new Effective(Placement.OUT, 0), PoolPolicy.effective(config, disabled, up, inhibit, sorry));
    }

    @Property
    void healthAndTheSorryServerRuleAsBeforeForEveryOtherAdminState(@ForAll @IntRange(max = 65535) int config,
            @ForAll("admins") BackendAdmin a, @ForAll boolean up, @ForAll boolean inhibit, @ForAll boolean sorry) {
        if (a.state() == AdminState.DISABLED || up && !sorry) {
            return;
        }
        assertEquals(new Effective(PoolPolicy.realServer(up, inhibit, sorry), 0),
                PoolPolicy.effective(config, a, up, inhibit, sorry));
    }

    @Property
    void aDrainedUpBackendStaysInTheTableAtWeightZero(@ForAll @IntRange(max = 65535) int config,
            @ForAll("admins") BackendAdmin a, @ForAll boolean inhibit) {
        BackendAdmin drained = new BackendAdmin(AdminState.DRAINED, a.weight());
        assertEquals(new Effective(Placement.ZERO, 0), PoolPolicy.effective(config, drained, true, inhibit, false));
    }

    @Property
    void anEnabledUpBackendHasItsRuntimeWeightElseItsConfigWeight(@ForAll @IntRange(max = 65535) int config,
            @ForAll("admins") BackendAdmin a, @ForAll boolean inhibit) {
        BackendAdmin enabled = new BackendAdmin(AdminState.ENABLED, a.weight());
        assertEquals(new Effective(Placement.IN, a.weight() != null ? a.weight() : config),
                PoolPolicy.effective(config, enabled, true, inhibit, false));
    }

    @Property
    void anUntouchedBackendIsPlacedExactlyAsThePlacementTableSays(@ForAll @IntRange(max = 65535) int config,
            @ForAll boolean up, @ForAll boolean inhibit, @ForAll boolean sorry) {
        Effective e = PoolPolicy.effective(config, BackendAdmin.DEFAULT, up, inhibit, sorry);
        assertEquals(PoolPolicy.realServer(up, inhibit, sorry), e.placement());
        assertEquals(e.placement() == Placement.IN ? config : 0, e.weight());
    }

    @Property
    void theLiveWeightIsTheWeightOfAnEnabledUpBackendOnly(@ForAll @IntRange(max = 65535) int config,
            @ForAll("admins") BackendAdmin a, @ForAll boolean up) {
        long live = PoolPolicy.liveWeight(config, a, up);
        Effective e = PoolPolicy.effective(config, a, up, false, false);
        assertEquals(e.placement() == Placement.IN ? e.weight() : 0, live);
        assertTrue(live == 0 || up && a.state() == AdminState.ENABLED);
    }

    @Property
    void ordersLeadWhereTheirNamesSay(@ForAll("admins") BackendAdmin before, @ForAll @IntRange(max = 65535) int w) {
        assertEquals(AdminState.DRAINED, BackendOrder.DRAIN.apply(before, null).state());
        assertEquals(AdminState.DISABLED, BackendOrder.DISABLE.apply(before, null).state());
        assertEquals(BackendAdmin.DEFAULT, BackendOrder.ENABLE.apply(before, null));
        assertEquals(new BackendAdmin(before.state(), w), BackendOrder.WEIGHT.apply(before, w));
    }
}
