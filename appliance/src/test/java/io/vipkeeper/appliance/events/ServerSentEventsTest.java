package io.vipkeeper.appliance.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServerSentEventsTest {
    private static final Instant T = Instant.parse("2026-12-07T12:00:01.123456Z");

    private static List<ServerSentEvents.Message> read(String stream) {
        ServerSentEvents.Reader r = new ServerSentEvents.Reader();
        List<ServerSentEvents.Message> out = new ArrayList<>();
        for (String line : stream.split("\r?\n", -1)) {
            r.line(line).ifPresent(out::add);
        }
        return out;
    }

    @Test
    void anEventIsItsNameItsJsonOnOneDataLineAndABlankLine() {
        Event e = Event.at(EventType.VRRP, T, "instance", "web", "from", "BACKUP", "to", "MASTER", "detail", "a\nb");
        assertEquals("event: vrrp\ndata: {\"type\":\"vrrp\",\"time\":\"2026-12-07T12:00:01.123Z\",\"instance\":\"web\","
                + "\"from\":\"BACKUP\",\"to\":\"MASTER\",\"detail\":\"a\\nb\"}\n\n", ServerSentEvents.frame(e));
    }

    @Test
    void theTimeAlwaysHasThreeFractionDigitsInUtc() {
        Event whole = Event.at(EventType.DAEMON, Instant.parse("2026-12-07T12:00:01Z"), "state", "started");
        assertTrue(EventJson.write(whole).contains("\"time\":\"2026-12-07T12:00:01.000Z\""), EventJson.write(whole));
    }

    @Test
    void framesReadBackAsTheEventsTheyCarryWithCommentsSkipped() {
        Event a = Event.at(EventType.HEALTH, T, "virtualServer", "web", "backend", "198.18.249.2:80", "state", "down",
                "reason", "connection refused");
        Event b = Event.at(EventType.RELOAD, T, "ok", true, "summary", "web: priority 150 -> 160");
        String stream = ServerSentEvents.comment("vipkeeper events") + ServerSentEvents.frame(a)
                + ServerSentEvents.comment("heartbeat") + ServerSentEvents.frame(b);
        List<ServerSentEvents.Message> got = read(stream);
        assertEquals(2, got.size());
        assertEquals("health", got.get(0).event());
        assertEquals(Optional.of(a), EventJson.read(got.get(0).data()));
        assertEquals(Optional.of(b), EventJson.read(got.get(1).data()));
    }

    @Test
    void theReaderFollowsTheSpecForCrlfSeveralDataLinesAndNoName() {
        List<ServerSentEvents.Message> got = read("data:one\r\ndata: two\r\nid: 7\r\n\r\n: note\r\n\r\nevent: x\r\n\r\n");
        assertEquals(List.of(new ServerSentEvents.Message("message", "one\ntwo")), got,
                "no space after the colon is fine, lines join with LF, a message without data is none");
    }

    @Test
    void aCommentCannotBreakTheFraming() {
        assertThrows(IllegalArgumentException.class, () -> ServerSentEvents.comment("a\n\nevent: forged"));
    }

    @Test
    void unknownTypesAreSkippedAndGarbageIsRefused() {
        assertEquals(Optional.empty(), EventJson.read("{\"type\":\"teleport\",\"time\":\"2026-12-07T12:00:01.123Z\"}"));
        assertThrows(IllegalArgumentException.class, () -> EventJson.read("{\"type\":\"vrrp\"}"));
        assertThrows(IllegalArgumentException.class, () -> EventJson.read("nope"));
    }

    @Test
    void wordsSayWhatHappened() {
        EventWords w = new EventWords(ZoneOffset.UTC);
        assertEquals("12:00:01.123 web: BACKUP -> MASTER (master down)", w.line(Event.at(EventType.VRRP, T,
                "instance", "web", "from", "BACKUP", "to", "MASTER", "reason", "master_down", "detail", "")));
        assertEquals("12:00:01.123 web 198.18.249.2:80: drain by uid 0 (root): enabled -> draining, weight 0",
                w.line(Event.at(EventType.ADMIN, T, "virtualServer", "web", "backend", "198.18.249.2:80", "order", "drain",
                        "by", "uid 0 (root)", "changed", true, "before", "enabled", "after", "draining", "weight", 0)));
        assertEquals("12:00:01.123 reload failed: 2 problem(s)",
                w.line(Event.at(EventType.RELOAD, T, "ok", false, "summary", "2 problem(s)")));
        assertEquals("12:00:01.123 reload failed: 1 problem(s); lb.conf:6: priority: not a number",
                w.line(Event.at(EventType.RELOAD, T, "ok", false, "summary", "1 problem(s)", "problems",
                        java.util.List.of("lb.conf:6: priority: not a number"))));
        assertEquals("12:00:01.123 web 198.18.249.3:80: add by uid 0 (root): a runtime backend now, at weight 2",
                w.line(Event.at(EventType.ADMIN, T, "virtualServer", "web", "backend", "198.18.249.3:80", "order", "add",
                        "by", "uid 0 (root)", "changed", true, "before", "enabled", "after", "enabled", "weight", 2,
                        "event", "added")));
        assertEquals("12:00:01.123 web 198.18.249.3:80: remove by uid 0 (root): removed: draining at weight 0, deleted once"
                + " its connections end", w.line(Event.at(EventType.ADMIN, T, "virtualServer", "web", "backend",
                        "198.18.249.3:80", "order", "remove", "by", "uid 0 (root)", "changed", true, "before", "enabled",
                        "after", "enabled", "weight", 1, "event", "removed")));
        assertEquals("12:00:01.123 bgp 198.18.0.100: withdrawn (virtual server web below quorum)",
                w.line(Event.at(EventType.BGP, T, "vip", "198.18.0.100", "state", "withdrawn", "reason",
                        "virtual server web below quorum")));
        Event bgp = EventJson.read(EventJson.write(Events.bgp("198.18.0.100", true, "serving virtual server web"))).orElseThrow();
        assertEquals(EventType.BGP, bgp.type());
        assertEquals("announced", bgp.text("state"));
    }
}
