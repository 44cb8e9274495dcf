package io.vipkeeper.appliance.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The VRRP routes: every good form, and the bad ones with what they say. */
class VrrpRouteTest {

    @Test
    void readsListEveryInstance() {
        assertEquals(new VrrpRoute(false, null, false, false), VrrpRoute.parse("GET", "/vrrp"));
        assertEquals(new VrrpRoute(false, null, false, false), VrrpRoute.parse("HEAD", "/vrrp/"));
        assertEquals("list", VrrpRoute.parse("GET", "/vrrp").label());
    }

    @Test
    void writesNameTheInstanceAndOnOrOff() {
        assertEquals(new VrrpRoute(true, "vi_1", true, false), VrrpRoute.parse("POST", "/vrrp/vi_1/maintenance/on"));
        assertEquals(new VrrpRoute(true, "vi_1", true, true),
                VrrpRoute.parse("POST", "/vrrp/vi_1/maintenance/on?force=true"));
        assertEquals(new VrrpRoute(true, "vi_1", false, false), VrrpRoute.parse("POST", "/vrrp/vi_1/maintenance/off"));
        assertEquals(new VrrpRoute(true, "a/b c", true, false),
                VrrpRoute.parse("POST", "/vrrp/a%2Fb%20c/maintenance/on"));
        assertEquals("on", VrrpRoute.parse("POST", "/vrrp/x/maintenance/on").label());
        assertEquals("off", VrrpRoute.parse("POST", "/vrrp/x/maintenance/off").label());
    }

    @Test
    void malformedRequestsSayWhatIsWrong() {
        assertBad("POST", "/vrrp/vi_1/maintenance", "POST /vrrp/INSTANCE/maintenance/on or .../off");
        assertBad("POST", "/vrrp/vi_1/maintenance/maybe", "POST /vrrp/INSTANCE/maintenance/on or .../off");
        assertBad("POST", "/vrrp//maintenance/on", "POST /vrrp/INSTANCE/maintenance/on or .../off");
        assertBad("POST", "/vrrp/vi_1/maintenance/on?force=yes", "force is true or false");
        assertBad("GET", "/vrrp/vi_1", "GET /vrrp lists the instances; changes are POSTs");
        assertBad("DELETE", "/vrrp/vi_1/maintenance/on", "method DELETE: GET to read, POST to change");
    }

    @Test
    void ownsOnlyItsPrefix() {
        assertTrue(VrrpRoute.owns("/vrrp"));
        assertTrue(VrrpRoute.owns("/vrrp/x"));
        assertFalse(VrrpRoute.owns("/vrrpx"));
    }

    private static void assertBad(String method, String uri, String message) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, () -> VrrpRoute.parse(method, uri))
                .getMessage());
    }
}
