package io.vipkeeper.appliance.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipkeeper.appliance.api.ReloadResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The page escapes what the daemon reports and marks states and health for the eye and for tests. */
class StatusPageTest {
    @TempDir
    Path dir;

    @Test
    void everyValueIsEscaped() throws Exception {
        String conf = StatusFixture.CONF.replace("node-name = \"lb1\"", "node-name = \"<img src=x onerror='alert(1)'>&\"");
        try (StatusFixture f = new StatusFixture(dir, conf)) {
            f.lastReload = Optional.of(new ReloadResult(StatusFixture.STARTED, false,
                    List.of("vipkeeper.conf:2: \"<script>\" is no priority"), "refused"));
            String page = StatusPage.render(f.assembler().snapshot());
            assertFalse(page.contains("<img"), page);
            assertFalse(page.contains("<script>"), page);
            assertTrue(page.contains("<h1 id=\"node\">&lt;img src=x onerror=&#39;alert(1)&#39;&gt;&amp;</h1>"), page);
            assertTrue(page.contains("vipkeeper.conf:2: &quot;&lt;script&gt;&quot; is no priority"), page);
            assertTrue(page.contains("data-reload=\"failed\" style=\"background:" + StatusPage.RED + "\""), page);
        }
    }

    @Test
    void anActiveMismatchIsShownAsAFault() throws Exception {
        try (StatusFixture f = new StatusFixture(dir)) {
            f.v2AdvertFrom("web", "198.18.0.2");
            String page = StatusPage.render(f.assembler().snapshot());
            assertTrue(page.contains("<tr class=\"fault\"><td></td><td colspan=\"8\" class=\"wrap\">mismatch: 198.18.0.2:"
                    + " version (VRRPv2 advert, this router speaks VRRPv3), 1 adverts, last at 2026-11-23T10:01:00.000Z;"
                    + " both may be master</td></tr>"), page);
        }
    }

    @Test
    void escapeCoversTheFiveCharacters() {
        assertEquals("&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;", StatusPage.esc("<a href=\"x\" title='y'>&"));
        assertEquals("", StatusPage.esc(null));
    }
}
