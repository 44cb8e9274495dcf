package io.vipkeeper.appliance.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipkeeper.appliance.vm.VmSuite;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The IPVS slice of the fault lab (issue 15), in the real-IPVS kernel: {@link IpvsChaosLab} runs a
 * seeded random sequence of ipvsadm and nft hand edits (vipkeeper's and foreign), health flaps,
 * valid and broken reloads, SIGHUP storms and SIGUSR1/2 against one daemon, and checks that the
 * kernel table always comes back to the one the config and the backends' health call for within
 * its bound, that foreign services and tables are never touched, that the daemon never exits and
 * that its config is the last valid file. {@code -Dvipkeeper.chaos.seed=N} replays a run,
 * {@code -Dvipkeeper.chaos.seconds=S} sets its length (IpvsVmIT passes both into the VM).
 */
@Tag(VmSuite.TAG)
class IpvsChaosVmTest {
    /**
     * CI's seed: its first 30 operations hold every kind, five valid reloads (a drained real server,
     * a service added), three of the five nft edits, the empty and the half-written file.
     */
    static final long SEED = 2766;

    @Test
    void handEditsFlapsAndReloadsNeverLeaveTheKernelTableWrong() throws Exception {
        long seed = Long.getLong("vipkeeper.chaos.seed", SEED);
        long seconds = Long.getLong("vipkeeper.chaos.seconds", 70);
        try (IpvsChaosLab lab = IpvsChaosLab.build()) {
            IpvsChaosLab.Result r = lab.run(seed, seconds, System.out);
            assertTrue(r.violations().isEmpty(), r.violations().size() + " violation(s) of seed " + seed
                    + ", reported above; -Dvipkeeper.chaos.seed=" + seed + " replays it");
        }
    }
}
