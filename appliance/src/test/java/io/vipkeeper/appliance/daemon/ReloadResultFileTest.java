package io.vipkeeper.appliance.daemon;

import io.vipkeeper.appliance.api.ReloadResult;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReloadResultFileTest {
    @TempDir
    Path dir;

    @Test
    void aResultWithAwkwardProblemsReadsBackAsWritten() {
        Path file = RunFiles.in(dir).reloadResult();
        assertEquals(dir.resolve("vipkeeper.reload"), file);
        ReloadResult failed = new ReloadResult(Instant.parse("2026-11-23T18:30:01.123456Z"), false,
                List.of("/etc/vipkeeper/a.conf:3: unknown key \"prioriti\"", "two\nlines and a \\ backslash\\n", ""),
                "2 problems");
        assertEquals(Optional.empty(), ReloadResultFile.write(file, 7, failed));
        ReloadResultFile.Entry e = ReloadResultFile.read(file).orElseThrow();
        assertEquals(7, e.sequence());
        assertEquals(failed, e.result());
    }

    @Test
    void aMissingOrHalfWrittenFileHasNoEntry() throws Exception {
        Path file = dir.resolve("vipkeeper.reload");
        assertTrue(ReloadResultFile.read(file).isEmpty());
        Files.writeString(file, "sequence 3\nat 2026-11-23T18:30:01Z\n");
        assertTrue(ReloadResultFile.read(file).isEmpty(), "no ok line");
        Files.writeString(file, "sequence three\nat 2026-11-23T18:30:01Z\nok true\n");
        assertTrue(ReloadResultFile.read(file).isEmpty(), "a malformed number");
        Files.writeString(file, "sequence 3\nat 2026-11-23T18:30:01Z\nok true\n");
        assertEquals(new ReloadResult(Instant.parse("2026-11-23T18:30:01Z"), true, List.of(), ""),
                ReloadResultFile.read(file).orElseThrow().result());
    }
}
