package io.vipkeeper.appliance.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** hmac-sha256 key rings as keepalived 2.4's auth_hmac writes them: forms, defaults, masking. */
class HmacConfigTest {
    private static final String HEX1 = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    private static final String HEX2 = "22".repeat(40);
    private static final String ASCII = "a shared secret of thirty-two or more bytes";

    @TempDir
    Path dir;

    private Path file(String authentication) throws Exception {
        return Files.writeString(dir.resolve("v.conf"), "vipkeeper.vrrp.instances.web {\n"
                + "  interface = eth0, virtual-router-id = 51, virtual-ips = [\"198.18.100.100/24\"]\n"
                + "  authentication {\n" + authentication + "\n  }\n}\n");
    }

    private VrrpInstance.Authentication auth(String authentication) throws Exception {
        return ConfigLoader.load(file(authentication)).vrrp().instances().get("web").authentication();
    }

    @Test
    void theSingleKeyIsKeyOneInEnforceModeWithTheDerivedWindow() throws Exception {
        HmacConfig h = auth("type = hmac-sha256, key = \"hex:" + HEX1 + "\"").hmac();
        assertEquals(Map.of(1, "hex:" + HEX1), h.keys());
        assertEquals(1, h.activeKey());
        assertEquals(HmacConfig.Mode.ENFORCE, h.mode());
        assertEquals(HmacConfig.AntiReplay.TIME, h.antiReplay());
        assertEquals(Duration.ZERO, h.timeWindow());
    }

    @Test
    void aRingOfInlineAsciiAndFileKeysWithItsModeAndWindow() throws Exception {
        Path keyFile = Files.writeString(dir.resolve("k3"), "hex:" + HEX2 + "\n");
        HmacConfig h = auth("type = hmac-sha256, key = \"hex:" + HEX1 + "\"\n"
                + "keys = [{ id = 2, key = \"" + ASCII + "\" }, { id = 3, key = \"file:" + keyFile + "\" }]\n"
                + "active-key = 3, mode = receive-only, anti-replay = monotonic, time-window = 7s").hmac();
        assertEquals(List.of(1, 2, 3), List.copyOf(h.keys().keySet()));
        assertEquals("hex:" + java.util.HexFormat.of().formatHex(ASCII.getBytes()), h.keys().get(2));
        assertEquals("hex:" + HEX2, h.keys().get(3), "a key file is read, its line end dropped");
        assertEquals(3, h.activeKey());
        assertEquals(HmacConfig.Mode.RECEIVE_ONLY, h.mode());
        assertEquals(HmacConfig.AntiReplay.MONOTONIC, h.antiReplay());
        assertEquals(Duration.ofSeconds(7), h.timeWindow());
        assertFalse(h.toString().contains(HEX1) || h.toString().contains(HEX2), h.toString());
    }

    @Test
    void anEditedKeyFileIsAChangedConfig() throws Exception {
        Path keyFile = Files.writeString(dir.resolve("k"), "hex:" + HEX1);
        String a = "type = hmac-sha256, keys = [{ id = 1, key = \"file:" + keyFile + "\" }]";
        HmacConfig before = auth(a).hmac();
        Files.writeString(keyFile, "hex:" + HEX2);
        assertNotEquals(before, auth(a).hmac());
    }

    @Test
    void otherTypesHaveNoRing() throws Exception {
        assertNull(auth("type = none").hmac());
    }

    @Test
    void printMasksEveryKeyOfTheRing() throws Exception {
        String shown = EffectiveConfig.render(file("type = hmac-sha256, key = \"hex:" + HEX1 + "\"\n"
                + "keys = [{ id = 2, key = \"" + ASCII + "\" }], active-key = 2"), NodeChoice.of("lb1"));
        assertFalse(shown.contains(HEX1) || shown.contains(ASCII), shown);
        assertTrue(shown.contains("id=2") || shown.contains("id = 2"), shown);
        String body = shown.substring(shown.indexOf('\n')); // the first line names the mask
        assertEquals(2, body.split(EffectiveConfig.MASK, -1).length - 1, shown);
    }
}
