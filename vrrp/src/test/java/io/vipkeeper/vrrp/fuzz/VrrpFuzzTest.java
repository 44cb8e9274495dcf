package io.vipkeeper.vrrp.fuzz;

import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random and mutated packets and netlink replies give every parser of the module only its
 * declared outcomes: a result or its declared rejection, never another exception, a hang or an
 * allocation sized by a length field. vagrant/lab/bench-fuzz runs the same targets a million times.
 */
class VrrpFuzzTest {
    static Stream<Named<FuzzTarget>> targets() {
        return FuzzSlice.named(VrrpFuzzTargets.all());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void onlyDeclaredOutcomes(FuzzTarget target) {
        FuzzSlice.check(target, 10_000);
    }
}
