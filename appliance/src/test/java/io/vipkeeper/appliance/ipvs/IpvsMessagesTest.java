package io.vipkeeper.appliance.ipvs;

import io.vipkeeper.appliance.dataplane.TransportProtocol;
import io.vipkeeper.appliance.dataplane.BackendKey;
import io.vipkeeper.appliance.dataplane.BackendSpec;
import io.vipkeeper.appliance.dataplane.Forwarding;
import io.vipkeeper.appliance.dataplane.ServiceKey;
import io.vipkeeper.appliance.dataplane.ServiceSpec;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.util.NetUtil;
import io.vipkeeper.appliance.ipvs.genl.IpvsMessages;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** IPVS requests against the byte vectors of the linux-primitives reference (§1.6). */
class IpvsMessagesTest {
    private static final HexFormat HEX = HexFormat.ofDelimiter(" ");
    private static final ServiceKey WEB = ServiceKey.of(TransportProtocol.TCP,
            NetUtil.createInetAddressFromIpAddressString("10.99.0.100"), 80);

    @Test
    void newServiceMatchesTheReferenceVector() {
        byte[] expected = HEX.parseHex("68 00 00 00 24 00 05 00 01 00 00 00 00 00 00 00"
                + " 01 01 00 00 54 00 01 80"
                + " 06 00 01 00 02 00 00 00"
                + " 06 00 02 00 06 00 00 00"
                + " 14 00 03 00 0a 63 00 64 00 00 00 00 00 00 00 00 00 00 00 00"
                + " 06 00 04 00 00 50 00 00"
                + " 07 00 06 00 72 72 00 00"
                + " 0c 00 07 00 00 00 00 00 ff ff ff ff"
                + " 08 00 08 00 00 00 00 00"
                + " 08 00 09 00 ff ff ff ff");
        assertArrayEquals(expected, IpvsMessages.newService(0x24, new ServiceSpec(WEB, "rr", 0, 0, 0xffffffffL), 1));
    }

    @Test
    void newDestHasTheServiceIdentityThenTheDestNest() {
        BackendSpec d = new BackendSpec(new BackendKey(NetUtil.createInetAddressFromIpAddressString("10.99.0.2"), 8080),
                Forwarding.DR, 3, 0, 0);
        byte[] m = IpvsMessages.newDest(0x24, WEB, d, 2);
        assertEquals(140, m.length);
        assertArrayEquals(HEX.parseHex("30 00 01 80"), Arrays.copyOfRange(m, 20, 24), "service nest, 48 bytes");
        assertArrayEquals(HEX.parseHex("48 00 02 80"), Arrays.copyOfRange(m, 68, 72), "dest nest, 72 bytes");
        assertArrayEquals(HEX.parseHex("06 00 02 00 1f 90 00 00"), Arrays.copyOfRange(m, 100, 108), "port 8080 BE");
        assertArrayEquals(HEX.parseHex("08 00 03 00 03 00 00 00"), Arrays.copyOfRange(m, 108, 116), "DR = 3");
        assertEquals(20 + 48 + 4 + 20 + 8, IpvsMessages.delDest(0x24, WEB, d.key(), 3).length, "DEL_DEST: address and port only");
    }

    @Test
    void ipv6PersistencePrefixGoesInHostOrderAsIpvsadmSendsIt() {
        ServiceKey v6 = ServiceKey.of(TransportProtocol.TCP, NetUtil.createInetAddressFromIpAddressString("2001:2::1"), 80);
        byte[] m = IpvsMessages.newService(0x24, new ServiceSpec(v6, "rr", ServiceSpec.PERSISTENT, 60, 64), 1);
        // The kernel reads this word with nla_get_be32 and uses it raw as the prefix length (1..128).
        assertArrayEquals(HEX.parseHex("08 00 09 00 40 00 00 00"), Arrays.copyOfRange(m, m.length - 8, m.length));
        byte[] v4 = IpvsMessages.newService(0x24, new ServiceSpec(WEB, "rr", ServiceSpec.PERSISTENT, 60, 0xffffff00L), 1);
        assertArrayEquals(HEX.parseHex("08 00 09 00 ff ff ff 00"), Arrays.copyOfRange(v4, v4.length - 8, v4.length));
    }

    @Test
    void newDaemonSendsTheOptionsSetAndOnlyThose() throws Exception {
        SyncDaemonState d = new SyncDaemonState(SyncDaemonState.MASTER, "eth0", 51, 1400,
                java.util.Optional.of(java.net.InetAddress.getByName("239.0.0.81")), 8849, 2);
        byte[] m = IpvsMessages.newDaemon(0x24, d, 1);
        assertArrayEquals(HEX.parseHex("40 00 03 80"
                + " 08 00 01 00 01 00 00 00"
                + " 09 00 02 00 65 74 68 30 00 00 00 00"
                + " 08 00 03 00 33 00 00 00"
                + " 06 00 04 00 78 05 00 00"
                + " 08 00 05 00 ef 00 00 51"
                + " 06 00 07 00 91 22 00 00"
                + " 05 00 08 00 02 00 00 00"), Arrays.copyOfRange(m, 20, m.length));
        byte[] plain = IpvsMessages.newDaemon(0x24, new SyncDaemonState(SyncDaemonState.BACKUP, "eth0", 51), 1);
        assertEquals(20 + 4 + 8 + 12 + 8, plain.length, "no option attributes when none is set");
    }
}
