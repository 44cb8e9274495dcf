package io.vipkeeper.appliance.keepalived;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** keepalived's block rules, one case each. */
class StatementParserTest {
    private final Notes notes = new Notes();

    private List<Statement> parse(String... lines) throws ImportLimitException {
        List<SourceLine> source = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            source.add(new SourceLine(new Origin(Path.of("k.conf"), i + 1), ConfigLines.decomment(lines[i])));
        }
        return StatementParser.parse(source, notes);
    }

    @Test
    void aBraceOnTheNextLineOpensTheBlockOfTheLineBefore() throws Exception {
        List<Statement> top = parse("vrrp_instance VI_1", "{", "priority 100", "}");
        assertEquals(1, top.size());
        assertEquals(List.of("vrrp_instance", "VI_1"), top.get(0).words());
        assertEquals(List.of("priority", "100"), top.get(0).children().get(0).words());
        assertEquals("k.conf:3", top.get(0).children().get(0).origin().toString());
    }

    @Test
    void aBlockMayOpenAndCloseOnOneLineAndWordsTouchTheBraces() throws Exception {
        List<Statement> top = parse("virtual_ipaddress { 198.19.10.1/24 198.19.10.2/24 }", "TCP_CHECK{connect_timeout 2}");
        assertEquals(List.of("198.19.10.1/24", "198.19.10.2/24"), top.get(0).children().get(0).words());
        assertEquals("TCP_CHECK", top.get(1).keyword());
        assertEquals(List.of("connect_timeout", "2"), top.get(1).children().get(0).words());
    }

    @Test
    void anUnclosedBlockEndsAtTheEndWithANoteAndAnExtraCloseIsReported() throws Exception {
        List<Statement> top = parse("global_defs {", "router_id a");
        assertEquals("router_id", top.get(0).children().get(0).keyword());
        assertEquals("k.conf:1: global_defs: note: block never closed; keepalived closes it at the end of the file",
                notes.all().get(0).toString());
        parse("}");
        assertTrue(notes.anyLeftOut());
    }

    @Test
    void blocksNestedDeeperThanTheLimitEndInOneLineNamingTheLineNotAStackOverflow() {
        String[] lines = new String[50_000];
        java.util.Arrays.fill(lines, "a {");
        ImportLimitException e = org.junit.jupiter.api.Assertions.assertThrows(ImportLimitException.class,
                () -> parse(lines));
        assertEquals("k.conf:" + (StatementParser.MAX_NESTING + 1) + ": {: blocks nested more than "
                + StatementParser.MAX_NESTING + " deep; the import stops", e.getMessage());
    }
}
