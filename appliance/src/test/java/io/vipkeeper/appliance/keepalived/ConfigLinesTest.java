package io.vipkeeper.appliance.keepalived;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** keepalived's line rules, one case each. */
class ConfigLinesTest {
    @TempDir
    Path dir;

    private final Notes notes = new Notes();

    private List<String> read(String text, String configId) throws IOException {
        Path f = dir.resolve("keepalived.conf");
        Files.writeString(f, text);
        return ConfigLines.read(f, configId, notes).stream().map(SourceLine::text).toList();
    }

    @Test
    void bothCommentSignsEndALineOutsideQuotesAndABackslashEscapesThem() throws Exception {
        assertEquals(List.of("priority 100", "script \"/bin/x # y\"", "auth_pass a#b"),
                read("! a comment\n# another\n   priority 100 ! trailing\nscript \"/bin/x # y\" # c\n"
                        + "auth_pass a\\#b\n", null));
    }

    @Test
    void atIdLinesApplyOnlyForThatConfigIdAndCaretIdLinesForEveryOther() throws Exception {
        String text = "@lb1 priority 150\n@^lb1 priority 100\n@lb1\n";
        assertEquals(List.of("priority 150"), read(text, "lb1"));
        assertEquals(List.of("priority 100"), read(text, "lb2"));
        assertEquals(List.of("priority 100"), read(text, null));
    }

    @Test
    void definitionsAreUsedAsDollarNameAndInBracesUnknownOnesStay() throws Exception {
        assertEquals(List.of("interface eth1", "198.19.10.1/24", "notify $UNKNOWN"),
                read("$IF=eth1\n$NET=198.19.10\ninterface $IF\n${NET}.1/24\nnotify $UNKNOWN\n", null));
    }

    @Test
    void aLaterDefinitionReplacesAnEarlierOne() throws Exception {
        assertEquals(List.of("priority 120"), read("$P=100\n$P=120\npriority $P\n", null));
    }

    @Test
    void aMultiLineDefinitionExpandsToItsLinesWhereItIsTheWholeLine() throws Exception {
        assertEquals(List.of("real_server 198.19.10.11 80 {", "weight 2", "}"),
                read("$RS=real_server 198.19.10.11 80 { \\\n   weight 2 \\\n}\n$RS\n", null));
    }

    @Test
    void includeGlobsResolveAgainstTheIncludingFilesDirectoryInNameOrder() throws Exception {
        Files.createDirectories(dir.resolve("conf.d/sub"));
        Files.writeString(dir.resolve("conf.d/b.conf"), "b\ninclude sub/*.conf\n");
        Files.writeString(dir.resolve("conf.d/a.conf"), "a\n");
        Files.writeString(dir.resolve("conf.d/.hidden.conf"), "hidden\n");
        Files.writeString(dir.resolve("conf.d/sub/c.conf"), "\n\nc\n");
        Path f = dir.resolve("keepalived.conf");
        Files.writeString(f, "top\ninclude conf.d/*.conf\nend\n");
        List<SourceLine> lines = ConfigLines.read(f, null, notes);
        assertEquals(List.of("top", "a", "b", "c", "end"), lines.stream().map(SourceLine::text).toList());
        SourceLine c = lines.get(3);
        assertEquals(dir.resolve("conf.d/sub/c.conf") + ":3", c.origin().toString());
    }

    @Test
    void anIncludeThatMatchesNothingIsSkippedWithANoteAtItsLine() throws Exception {
        assertEquals(List.of("a"), read("a\ninclude /nonexistent/*.conf\n", null));
        assertEquals(dir.resolve("keepalived.conf") + ":2: include: note: \"/nonexistent/*.conf\" matches no file; "
                + "keepalived skips it too", notes.all().get(0).toString());
    }

    @Test
    void aFileThatIncludesItselfStopsWithAReport() throws Exception {
        assertEquals(32, read("x\ninclude keepalived.conf\n", null).size());
        assertEquals(true, notes.anyLeftOut());
    }

    @Test
    void anUnreadableTopFileThrows() {
        assertThrows(NoSuchFileException.class, () -> ConfigLines.read(dir.resolve("missing.conf"), null, notes));
    }

    @Test
    void definitionsThatMultiplyStopAtKeepalivedsLineLengthWithAReportAtTheLine() throws Exception {
        StringBuilder text = new StringBuilder("$A=0123456789\n");
        for (char c = 'B'; c <= 'K'; c++) {
            text.append('$').append(c).append('=').append(("$" + (char) (c - 1) + " ").repeat(10)).append('\n');
        }
        text.append("notify_master $K\npriority 100\n");
        assertEquals(List.of("priority 100"), read(text.toString(), null));
        assertEquals(dir.resolve("keepalived.conf") + ":12: $: substituting the definitions makes the line "
                + ConfigLines.MAX_LINE + " characters or longer; keepalived does not substitute it either: shorten the "
                + "definitions", notes.all().get(0).toString());
    }

    @Test
    void aLineKeepalivedSubstitutesBelowItsLimitIsKept() throws Exception {
        String value = "x".repeat(ConfigLines.MAX_LINE - 20);
        assertEquals(List.of("script " + value), read("$V=" + value + "\nscript $V\n", null));
    }

    @Test
    void aFileThatIncludesItselfTwiceEndsInOneLineNamingTheIncludeNotInMemoryExhaustion() {
        ImportLimitException e = assertThrows(ImportLimitException.class,
                () -> read("x\ninclude keepalived.conf\ninclude keepalived.conf\n", null));
        assertEquals(dir.resolve("keepalived.conf") + ":3: include: more than " + ConfigLines.MAX_FILE_READS
                + " files read in all (a file included again and again); the import stops", e.getMessage());
    }

    @Test
    void definitionsThatMultiplyIntoLinesStopAtTheLineLimit() {
        StringBuilder text = new StringBuilder("$A=@other x \\\n@other y\n");
        for (char c = 'B'; c <= 'K'; c++) {
            text.append('$').append(c).append("=$").append((char) (c - 1))
                    .append(" \\\n").append(("$" + (char) (c - 1) + " \\\n").repeat(8)).append('$')
                    .append((char) (c - 1)).append('\n');
        }
        text.append("$K\n");
        ImportLimitException e = assertThrows(ImportLimitException.class, () -> read(text.toString(), null));
        assertTrue(e.getMessage().startsWith(dir.resolve("keepalived.conf") + ":103: more than "
                + ConfigLines.MAX_LINES + " lines"), e.getMessage());
    }
}
