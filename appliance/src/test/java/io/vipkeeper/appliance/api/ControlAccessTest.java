package io.vipkeeper.appliance.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who may write over the control socket, judged from account files of the test's own. */
class ControlAccessTest {
    @TempDir
    Path dir;
    private ControlAccess access;

    @BeforeEach
    void accounts() throws Exception {
        Path passwd = dir.resolve("passwd");
        Path group = dir.resolve("group");
        Files.writeString(passwd, """
                root:x:0:0:root:/root:/bin/bash
                alice:x:1000:1000::/home/alice:/bin/sh
                bob:x:1001:1001::/home/bob:/bin/sh
                carol:x:1002:120::/home/carol:/bin/sh
                nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
                """);
        Files.writeString(group, """
                root:x:0:
                # a comment
                lbops:x:120:bob
                alice:x:1000:
                nogroup:x:65534:
                """);
        access = new ControlAccess(passwd, group);
    }

    private Optional<String> refusal(int uid, int gid, String group) {
        return access.refusal(access.peer(uid, new int[] {gid}), Optional.ofNullable(group));
    }

    @Test
    void rootMayAlways() {
        assertEquals(Optional.empty(), refusal(0, 0, null));
        assertEquals(Optional.empty(), refusal(0, 0, "lbops"));
    }

    @Test
    void withoutAControlGroupNobodyElseMay() {
        Optional<String> no = refusal(1001, 1001, null);
        assertEquals(Optional.of("uid 1001 (bob) may not change runtime state: only root may (api.control-group is not"
                + " set)"), no);
    }

    @Test
    void membersOfTheControlGroupMayBySupplementaryPrimaryOrPeerGid() {
        assertEquals(Optional.empty(), refusal(1001, 1001, "lbops"), "bob is listed in lbops (supplementary)");
        assertEquals(Optional.empty(), refusal(1002, 1002, "lbops"), "carol's primary group in passwd is lbops");
        assertEquals(Optional.empty(), refusal(1000, 120, "lbops"), "the peer runs with gid lbops (newgrp, sg)");
    }

    @Test
    void othersAndUnknownUidsMayNot() {
        Optional<String> no = refusal(1000, 1000, "lbops");
        assertEquals(Optional.of("uid 1000 (alice) may not change runtime state: only root and members of group lbops"
                + " may"), no);
        assertTrue(refusal(4242, 4242, "lbops").orElseThrow().startsWith("uid 4242 may not"));
        assertTrue(refusal(65534, 65534, "lbops").isPresent());
    }

    @Test
    void aControlGroupMissingFromTheHostLeavesRootOnly() {
        assertTrue(refusal(1001, 1001, "netops").orElseThrow().contains("api.control-group netops is not in"));
        assertEquals(Optional.empty(), refusal(0, 0, "netops"));
    }
}
