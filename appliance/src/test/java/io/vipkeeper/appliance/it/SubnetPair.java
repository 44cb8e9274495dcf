package io.vipkeeper.appliance.it;

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

    /** Whether {@code node}'s eth0 holds the VIP. */
    protected boolean has(String node) {
        return holds(node, vip);
    }
}
