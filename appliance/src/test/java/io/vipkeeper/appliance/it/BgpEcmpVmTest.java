package io.vipkeeper.appliance.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipkeeper.appliance.vm.VmSuite;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19's four lab checks on IPVS, in the real-IPVS kernel (one boot with the other VM tests):
 * {@link BgpEcmpStory} with {@code data-plane = ipvs} (dr, mh with the port) — traffic spread
 * over all three directors; a director's vipkeeper SIGKILLed leaves the router's nexthops while
 * its FRR lives, and long-lived connections it carried continue through the others to the same
 * backend (IPVS needs sloppy_tcp for a flow arriving mid-connection: the daemon sets it in bgp
 * mode, the test does not); a backend failing and returning keeps every director's pick identical;
 * the director rejoining takes flows back and breaks none. The story throws at the first step that
 * does not happen; the figures are printed. Under TCG: BGP timers 3 9, no BFD (it flaps there),
 * health checks every 2 s, a dozen connections.
 */
@Tag(VmSuite.TAG)
class BgpEcmpVmTest {
    private static final int CONNECTIONS = 12;

    @TempDir
    Path dir;

    @Test
    void threeIpvsDirectorsShareTheVipAndKeepEveryFlowOnItsBackend() throws Exception {
        BgpEcmpStory.Options options = new BgpEcmpStory.Options("ipvs", "198.19.95", "198.19.96.100", CONNECTIONS, true);
        try (BgpEcmpStory story = BgpEcmpStory.create(dir, options, line -> System.out.println("[bgp-ipvs] " + line))) {
            BgpEcmpStory.Figures f = story.run();
            System.out.println("[bgp-ipvs] figures: " + f);
            assertEquals(Set.of("d1", "d2", "d3"), f.spreadPackets().keySet());
            assertTrue(f.spreadPackets().values().stream().allMatch(n -> n > 0), "spread " + f.spreadPackets());
            assertEquals(CONNECTIONS, f.keptOnLoss(), "kept through d1's loss");
            assertEquals(CONNECTIONS, f.keptOnReturn(), "kept through d1's return");
            assertTrue(f.returnedPackets() > 0, "d1 carries established flows again");
        }
    }
}
