package io.vipkeeper.appliance.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipkeeper.appliance.pool.BackendOrder;
import org.junit.jupiter.api.Test;

/** The runtime backend routes: every good form, and the bad ones with what they say. */
class BackendRouteTest {

    @Test
    void readsListEverythingOrOneVirtualServer() {
        assertEquals(new BackendRoute(false, null, null, null, null), BackendRoute.parse("GET", "/backends"));
        assertEquals(new BackendRoute(false, null, null, null, null), BackendRoute.parse("GET", "/backends/"));
        assertEquals(new BackendRoute(false, "web app", null, null, null), BackendRoute.parse("HEAD", "/backends/web%20app"));
    }

    @Test
    void writesNameTheVirtualServerTheBackendAndTheAction() {
        assertEquals(new BackendRoute(true, "web", "198.18.1.2:80", BackendOrder.DRAIN, null),
                BackendRoute.parse("POST", "/backends/web/198.18.1.2:80/drain"));
        assertEquals(new BackendRoute(true, "web", "198.18.1.2", BackendOrder.DISABLE, null),
                BackendRoute.parse("POST", "/backends/web/198.18.1.2/disable"));
        assertEquals(new BackendRoute(true, "web", "[2001:db8::1]:80", BackendOrder.ENABLE, null),
                BackendRoute.parse("POST", "/backends/web/%5B2001%3Adb8%3A%3A1%5D%3A80/enable"));
        assertEquals(new BackendRoute(true, "web", "198.18.1.2:80", BackendOrder.WEIGHT, 65535),
                BackendRoute.parse("POST", "/backends/web/198.18.1.2:80/weight/65535"));
        assertEquals(new BackendRoute(true, "a/b", "198.18.1.2:80", BackendOrder.WEIGHT, 0),
                BackendRoute.parse("POST", "/backends/a%2Fb/198.18.1.2:80/weight/0"));
    }

    @Test
    void malformedRequestsSayWhatIsWrong() {
        assertBad("POST", "/backends/web/198.18.1.2:80/weight/65536", "is not an integer in 0..65535");
        assertBad("POST", "/backends/web/198.18.1.2:80/weight/-1", "is not an integer in 0..65535");
        assertBad("POST", "/backends/web/198.18.1.2:80/weight/x", "is not an integer in 0..65535");
        assertBad("POST", "/backends/web/198.18.1.2:80/weight", "weight/N with N in 0..65535");
        assertBad("POST", "/backends/web/198.18.1.2:80/weight/1/2", "weight/N with N in 0..65535");
        assertBad("POST", "/backends/web/198.18.1.2:80/reboot", "unknown action \"reboot\"");
        assertBad("POST", "/backends/web/198.18.1.2:80/drain/now", "takes nothing after the action");
        assertBad("POST", "/backends/web/198.18.1.2:80", "ACTION is drain, disable, enable, weight/N, add[/N] or remove");
        assertBad("POST", "/backends", "ACTION is drain");
        assertBad("POST", "/backends/web//drain", "empty segment");
        assertBad("GET", "/backends/web/198.18.1.2:80", "changes are POSTs");
        assertBad("DELETE", "/backends/web/198.18.1.2:80/drain", "GET to read, POST to change");
        assertBad("PUT", "/backends/web/198.18.1.2:80/drain", "GET to read, POST to change");
    }

    @Test
    void addTakesAnOptionalWeightAndRemoveNothing() {
        assertEquals(new BackendRoute(true, "web", "198.18.1.3:80", BackendOrder.ADD, null),
                BackendRoute.parse("POST", "/backends/web/198.18.1.3:80/add"));
        assertEquals(new BackendRoute(true, "web", "198.18.1.3", BackendOrder.ADD, 7),
                BackendRoute.parse("POST", "/backends/web/198.18.1.3/add/7"));
        assertEquals(new BackendRoute(true, "web", "[2001:db8::3]:80", BackendOrder.ADD, 0),
                BackendRoute.parse("POST", "/backends/web/%5B2001%3Adb8%3A%3A3%5D%3A80/add/0"));
        assertEquals(new BackendRoute(true, "web", "198.18.1.3:80", BackendOrder.REMOVE, null),
                BackendRoute.parse("POST", "/backends/web/198.18.1.3:80/remove"));
        assertEquals("add", BackendRoute.parse("POST", "/backends/web/198.18.1.3/add/7").label());
        assertEquals("remove", BackendRoute.parse("POST", "/backends/web/198.18.1.3/remove").label());
        assertBad("POST", "/backends/web/198.18.1.3:80/add/65536", "is not an integer in 0..65535");
        assertBad("POST", "/backends/web/198.18.1.3:80/add/-1", "is not an integer in 0..65535");
        assertBad("POST", "/backends/web/198.18.1.3:80/add/two", "is not an integer in 0..65535");
        assertBad("POST", "/backends/web/198.18.1.3:80/add/1/2", "add/N with N in 0..65535");
        assertBad("POST", "/backends/web/198.18.1.3:80/remove/now", "takes nothing after the action");
        assertBad("GET", "/backends/web/198.18.1.3:80/add", "changes are POSTs");
    }

    @Test
    void onlyItsOwnPathsAreItsOwn() {
        assertTrue(BackendRoute.owns("/backends"));
        assertTrue(BackendRoute.owns("/backends/web"));
        assertFalse(BackendRoute.owns("/backendsx"));
        assertFalse(BackendRoute.owns("/status"));
    }

    private static void assertBad(String method, String path, String says) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BackendRoute.parse(method, path));
        assertTrue(e.getMessage().contains(says), method + " " + path + ": " + e.getMessage());
    }
}
