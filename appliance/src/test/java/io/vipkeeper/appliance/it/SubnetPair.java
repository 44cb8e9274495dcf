package io.vipkeeper.appliance.it;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Base of tests with a pair in a /24 of their own: lb1 at .1 and lb2 at .2 (more nodes through
 * {@link #moreNodes}), the VIP at .100, and vipkeeper started from {@link VrrpPairConfig}.
 */
abstract class SubnetPair extends InLab {
    /** The nodes' /24 as three octets. */
    protected final String net;
    /** SUBNET.100. */
    protected final String vip;

    SubnetPair(String net) {
        this.net = net;
        this.vip = net + ".100";
    }

    @Override
    protected String subnet() {
        return net;
    }

    @Override
    protected final void nodes(Lab newLab) throws Exception {
        newLab.node("lb1", 1);
        newLab.node("lb2", 2);
        moreNodes(newLab);
    }

    /** Adds nodes beside the pair. */
    protected void moreNodes(Lab newLab) throws Exception {
    }

    /** vipkeeper on {@code node} with the pair's instance vi_1 at {@code priority}, {@code extra} keys in it. */
    protected JarProcess start(String node, int priority, String extra) throws Exception {
        Path conf = VrrpPairConfig.write(dir, node, priority, vip, extra);
        return lab.own(JarProcess.startIn(lab.ns(node), dir, "run", "-f", conf.toString()));
    }

    /**
     * vipkeeper on lb1 at priority 150 with the status API on its address (for {@link LabApi}):
     * {@code sections} inside the vrrp block, {@code extra} inside instance vi_1.
     */
    protected JarProcess startLb1WithApi(String sections, String extra) throws Exception {
        Path conf = dir.resolve("lb1.conf");
        Files.writeString(conf, """
                vipkeeper {
                  node-name = lb1
                  api.listen = "%s.1:9180"
                  vrrp {
                    %s
                    instances.vi_1 {
                      interface = eth0, virtual-router-id = 51, priority = 150, advert-interval = 100ms
                      virtual-ips = ["%s/24"]
                      %s
                    }
                  }
                }
                """.formatted(net, sections, vip, extra));
        return lab.own(JarProcess.startIn(lab.ns("lb1"), dir, "run", "-f", conf.toString()));
    }

    /** Whether {@code node}'s eth0 holds the VIP. */
    protected boolean has(String node) {
        return holds(node, vip);
    }
}
