package io.vipkeeper.appliance.it;

import java.nio.file.Files;
import java.nio.file.Path;

/** The config the VRRP pair ITs give each node: one instance, vi_1 on eth0, the VIP in a /24. */
final class VrrpPairConfig {
    private VrrpPairConfig() {
    }

    /**
     * Writes {@code dir}/NAME.conf for node {@code name} at {@code priority}, with {@code extra}
     * lines in the instance; no status API, so two daemons on one host do not compete for a port.
     */
    static Path write(Path dir, String name, int priority, String vip, String extra) throws Exception {
        Path f = dir.resolve(name + ".conf");
        Files.writeString(f, """
                vipkeeper {
                  node-name = %s
                  api.listen = ""
                  vrrp.instances.vi_1 {
                    interface = eth0
                    virtual-router-id = 51
                    priority = %d
                    advert-interval = 100ms
                    virtual-ips = ["%s/24"]
                    %s
                  }
                }
                """.formatted(name, priority, vip, extra));
        return f;
    }
}
