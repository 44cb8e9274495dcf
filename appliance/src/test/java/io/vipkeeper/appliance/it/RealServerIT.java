package io.vipkeeper.appliance.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vipkeeper realserver} from the shipped jar against the host kernel, in a network
 * namespace of its own (eth0 a veth, both ends inside): addresses and sysctls are asserted with
 * ip(8) and /proc, never with vipkeeper's own reading of them. Nothing outside the namespace is
 * touched: /proc/sys/net belongs to the namespace of the process that opens it.
 */
class RealServerIT {
    private static final String PREFIX = "vk" + Long.toHexString(ProcessHandle.current().pid()) + "rs-";
    private static final String CONF = "vipkeeper.real-server {\n  vips = [\"198.18.2.10\", \"198.18.2.11\", \"2001:2::10\"]\n"
            + "  interface = eth0\n}\n";
    private static int namespaces;

    @TempDir
    Path dir;
    private String ns;
    private Path conf;
    private Path state;

    @BeforeEach
    void namespace() throws Exception {
        removeLeftovers();
        ns = PREFIX + (namespaces++);
        Lab.sh("ip", "netns", "add", ns);
        try {
            Lab.sh("ip", "-n", ns, "link", "set", "lo", "up");
            Lab.sh("ip", "-n", ns, "link", "add", "eth0", "type", "veth", "peer", "name", "eth0p");
            Lab.sh("ip", "-n", ns, "link", "set", "eth0", "up");
            // Originals that are not the kernel's defaults, so a down that "restores" 0 is caught;
            // "all" too, since a new namespace copies it from the host's.
            setSysctls(0, 0, 2, 1);
        } catch (Exception e) {
            deleteNamespace();
            throw e;
        }
        conf = Files.writeString(dir.resolve("realserver.conf"), CONF);
        state = dir.resolve("run").resolve("realserver.state");
    }

    @AfterEach
    void deleteNamespace() throws Exception {
        if (ns != null) {
            Lab.sh("ip", "netns", "del", ns);
            ns = null;
        }
    }

    /** Namespaces of an earlier run that was killed before it could delete them. */
    private static void removeLeftovers() throws Exception {
        for (String line : Lab.sh("ip", "netns", "list").split("\n")) {
            String name = line.split(" ")[0];
            int rs = name.indexOf("rs-");
            if (name.startsWith("vk") && rs > 2 && name.substring(2, rs).matches("[0-9a-f]+")
                    && ProcessHandle.of(Long.parseLong(name.substring(2, rs), 16)).isEmpty()) {
                Lab.sh("ip", "netns", "del", name);
            }
        }
    }

    @Test
    void upSetsEverythingOnceAndDownRestoresTheOriginals() throws Exception {
        assertEquals(3, run("status").code, "not up before up");

        Result up = run("up");
        assertEquals(0, up.code, up.err);
        assertEquals(List.of("net.ipv4.conf.all.arp_ignore 0 -> 1", "net.ipv4.conf.all.arp_announce 0 -> 2",
                "net.ipv4.conf.eth0.arp_ignore 2 -> 1", "net.ipv4.conf.eth0.arp_announce 1 -> 2",
                "added 198.18.2.10/32 on lo", "added 198.18.2.11/32 on lo", "added 2001:2::10/128 on lo"), up.lines());
        assertEquals(List.of(1, 2, 1, 2), sysctls());
        String lo = loAddresses();
        assertTrue(lo.contains("inet 198.18.2.10/32 scope global lo:vk"), lo);
        assertTrue(lo.contains("inet 198.18.2.11/32 scope global lo:vk"), lo);
        assertTrue(lo.contains("inet6 2001:2::10/128 scope global nodad"), lo);
        String recorded = Files.readString(state);

        Result again = run("up");
        assertEquals(0, again.code, again.err);
        assertEquals(List.of("nothing to do: already up"), again.lines());
        assertEquals(recorded, Files.readString(state), "a second up keeps the originals of the first");
        assertEquals(lo, loAddresses());

        Result status = run("status");
        assertEquals(0, status.code, status.err);
        assertEquals("up", status.lines().get(status.lines().size() - 1));
        Result json = run("status", "--json");
        assertEquals(0, json.code, json.err);
        assertTrue(json.out.startsWith("{\"up\":true,\"vips\":[{\"address\":\"198.18.2.10\",\"prefix\":32,"
                + "\"present\":true}"), json.out);

        Result down = run("down");
        assertEquals(0, down.code, down.err);
        assertEquals(List.of("removed 198.18.2.10/32 from lo", "removed 198.18.2.11/32 from lo",
                "removed 2001:2::10/128 from lo", "net.ipv4.conf.all.arp_ignore 1 -> 0",
                "net.ipv4.conf.all.arp_announce 2 -> 0", "net.ipv4.conf.eth0.arp_ignore 1 -> 2",
                "net.ipv4.conf.eth0.arp_announce 2 -> 1"), down.lines());
        assertEquals(List.of(0, 0, 2, 1), sysctls());
        assertNoVips();
        assertFalse(Files.exists(state), "down deletes the state file");

        Result downAgain = run("down");
        assertEquals(0, downAgain.code, downAgain.err);
        assertEquals(List.of("nothing to do: already down"), downAgain.lines());
        assertEquals(List.of(0, 0, 2, 1), sysctls());
        assertEquals(3, run("status").code, "not up after down");
    }

    @Test
    void upRepairsDriftButKeepsTheOriginalsOfTheFirstUp() throws Exception {
        assertEquals(0, run("up").code);
        Lab.sh("ip", "-n", ns, "addr", "del", "198.18.2.11/32", "dev", "lo");
        Lab.sh("ip", "netns", "exec", ns, "sh", "-c", "echo 0 > /proc/sys/net/ipv4/conf/eth0/arp_ignore");

        Result status = run("status");
        assertEquals(3, status.code, status.out);
        assertTrue(status.lines().contains("198.18.2.11/32 on lo: missing"), status.out);
        assertTrue(status.lines().contains("net.ipv4.conf.eth0.arp_ignore 0 (wanted 1)"), status.out);

        Result up = run("up");
        assertEquals(0, up.code, up.err);
        assertEquals(List.of("net.ipv4.conf.eth0.arp_ignore 0 -> 1", "added 198.18.2.11/32 on lo"), up.lines());

        assertEquals(0, run("down").code);
        assertEquals(List.of(0, 0, 2, 1), sysctls(), "the originals from before the first up, not the drifted 0");
    }

    @Test
    void aMissingInterfaceIsOneLineAndChangesNothing() throws Exception {
        Files.writeString(conf, CONF.replace("eth0", "eth9"));
        for (String action : new String[] {"up", "status"}) {
            Result r = run(action);
            assertEquals(1, r.code, action);
            assertEquals("vipkeeper realserver " + action + ": interface eth9 does not exist\n", r.err);
        }
        assertFalse(Files.exists(state));
        assertNoVips();
        assertEquals(List.of(0, 0, 2, 1), sysctls());
    }

    @Test
    void withoutPrivilegesItSaysWhatItNeeds() throws Exception {
        // nobody must reach the config and the state directory, which the test's own dir hides.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.createDirectories(state.getParent());
        Files.setPosixFilePermissions(state.getParent(), PosixFilePermissions.fromString("rwxrwxrwx"));
        Result r = runAsNobody("up");
        assertEquals(1, r.code, r.out);
        assertEquals("vipkeeper realserver up: cannot set net.ipv4.conf.all.arp_ignore: permission denied"
                + " (needs root or CAP_NET_ADMIN)\n", r.err);
        assertEquals(List.of(0, 0, 2, 1), sysctls());

        setSysctls(1, 2, 1, 2);
        r = runAsNobody("up");
        assertEquals(1, r.code, r.out);
        assertEquals("vipkeeper realserver up: cannot add 198.18.2.10/32 on lo: permission denied"
                + " (needs root or CAP_NET_ADMIN)\n", r.err);
        assertNoVips();
    }

    @Test
    void capNetAdminIsAllItNeeds() throws Exception {
        Result up = runAsTheUnit("up");
        assertEquals(0, up.code, up.err);
        assertEquals(List.of(1, 2, 1, 2), sysctls());
        assertTrue(loAddresses().contains("inet 198.18.2.10/32"));
        assertEquals(0, runAsTheUnit("status").code);
        Result down = runAsTheUnit("down");
        assertEquals(0, down.code, down.err);
        assertEquals(List.of(0, 0, 2, 1), sysctls());
        assertNoVips();
    }

    private record Result(int code, String out, String err) {
        List<String> lines() {
            return out.lines().toList();
        }
    }

    private Result run(String... action) throws Exception {
        return finish(JarProcess.startIn(ns, dir, args(action)));
    }

    /** With no capabilities left (setpriv drops them with root): an operator who forgot sudo. */
    private Result runAsNobody(String... action) throws Exception {
        return finish(JarProcess.startInVia(ns, List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"),
                dir, args(action)));
    }

    /** Root with CAP_NET_ADMIN only and no new privileges, as systemd/vipkeeper-realserver.service runs it. */
    private Result runAsTheUnit(String... action) throws Exception {
        return finish(JarProcess.startInVia(ns, List.of("setpriv", "--bounding-set=-all,+net_admin", "--inh-caps=-all",
                "--no-new-privs"), dir, args(action)));
    }

    private String[] args(String... action) {
        String[] a = new String[action.length + 5];
        a[0] = "realserver";
        System.arraycopy(action, 0, a, 1, action.length);
        System.arraycopy(new String[] {"-f", conf.toString(), "--state", state.toString()}, 0, a, action.length + 1, 4);
        return a;
    }

    private static Result finish(JarProcess p) throws Exception {
        try (p) {
            int code = p.waitFor();
            return new Result(code, p.out(), p.err());
        }
    }

    private String loAddresses() throws Exception {
        return Lab.sh("ip", "-n", ns, "addr", "show", "dev", "lo");
    }

    private void assertNoVips() throws Exception {
        String lo = loAddresses();
        assertFalse(lo.contains("198.18.2.") || lo.contains("2001:2::"), lo);
    }

    /** all.arp_ignore, all.arp_announce, eth0.arp_ignore, eth0.arp_announce, as the kernel has them. */
    private List<Integer> sysctls() throws Exception {
        String out = Lab.sh("ip", "netns", "exec", ns, "cat", "/proc/sys/net/ipv4/conf/all/arp_ignore",
                "/proc/sys/net/ipv4/conf/all/arp_announce", "/proc/sys/net/ipv4/conf/eth0/arp_ignore",
                "/proc/sys/net/ipv4/conf/eth0/arp_announce");
        return out.lines().map(String::strip).map(Integer::valueOf).toList();
    }

    private void setSysctls(int allIgnore, int allAnnounce, int ethIgnore, int ethAnnounce) throws Exception {
        String c = "/proc/sys/net/ipv4/conf/";
        Lab.sh("ip", "netns", "exec", ns, "sh", "-c", "echo " + allIgnore + " > " + c + "all/arp_ignore && echo "
                + allAnnounce + " > " + c + "all/arp_announce && echo " + ethIgnore + " > " + c + "eth0/arp_ignore"
                + " && echo " + ethAnnounce + " > " + c + "eth0/arp_announce");
    }
}
