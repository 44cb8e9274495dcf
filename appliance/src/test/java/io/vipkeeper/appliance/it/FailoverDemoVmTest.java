package io.vipkeeper.appliance.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipkeeper.appliance.vm.VmSuite;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The demo on IPVS in the real-IPVS kernel: {@code vagrant/demo --data-plane ipvs} tells the whole
 * story (as DemoIT checks it on nftables on the host, where Ctrl-C in its middle is tried too).
 */
@Tag(VmSuite.TAG)
class FailoverDemoVmTest {
    @Test
    void theIpvsDemoTellsTheWholeStory() throws Exception {
        String out = DemoIT.demo("--data-plane", "ipvs");
        assertTrue(out.contains("IPVS: this kernel (") && out.contains(") has it, so the lab runs here"), out);
        assertTrue(out.contains("web1, web2: VIP on lo"), out);
        assertTrue(out.contains("| data plane: ipvs ("), out);
    }
}
