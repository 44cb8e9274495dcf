package io.vipkeeper.appliance.vrrp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vipkeeper.appliance.config.VrrpTrackFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A track-file's value and effect as keepalived's track_file.c computes them. */
class TrackFileValueTest {
    @TempDir
    Path dir;

    @Test
    void readsTheNumberAsStrtolWithBaseZero() {
        assertEquals(OptionalLong.of(5), TrackFileValue.parse("5\n"));
        assertEquals(OptionalLong.of(-12), TrackFileValue.parse("  -12 apples"));
        assertEquals(OptionalLong.of(255), TrackFileValue.parse("0xff"));
        assertEquals(OptionalLong.of(8), TrackFileValue.parse("010"), "a leading 0 is octal, as in C");
        assertEquals(OptionalLong.of(0), TrackFileValue.parse("apples"), "no number reads 0");
        assertEquals(OptionalLong.of(0), TrackFileValue.parse(""));
        assertEquals(OptionalLong.of(2147483648L), TrackFileValue.parse("2147483648"), "INT32_MAX + 1 is allowed");
        assertEquals(OptionalLong.empty(), TrackFileValue.parse("2147483649"), "beyond is ignored");
        assertEquals(OptionalLong.empty(), TrackFileValue.parse("-2147483649"));
        assertEquals(OptionalLong.empty(), TrackFileValue.parse("99999999999999999999999"));
    }

    @Test
    void aMissingOrEmptyFileIsZero() throws Exception {
        assertEquals(OptionalLong.of(0), TrackFileValue.read(dir.resolve("absent")));
        Path empty = Files.writeString(dir.resolve("empty"), "");
        assertEquals(OptionalLong.of(0), TrackFileValue.read(empty));
        Path seven = Files.writeString(dir.resolve("seven"), "7\n");
        assertEquals(OptionalLong.of(7), TrackFileValue.read(seven));
    }

    private static VrrpTrackFile file(int weight, boolean reverse) {
        return new VrrpTrackFile("f", Path.of("/run/f"), weight, reverse);
    }

    @Test
    void valueTimesWeightIsAddedAndBelowMinus253IsAFault() {
        assertEquals(new TrackFileValue.Effect(-30, null), TrackFileValue.effect(file(-10, false), 3));
        assertEquals(new TrackFileValue.Effect(30, null), TrackFileValue.effect(file(-10, true), 3));
        assertEquals(new TrackFileValue.Effect(-253, null), TrackFileValue.effect(file(1, false), -253));
        TrackFileValue.Effect fault = TrackFileValue.effect(file(1, false), -254);
        assertEquals(0, fault.delta());
        assertEquals("/run/f holds -254 (-254 with weight 1, below -253)", fault.fault());
        assertEquals(254, TrackFileValue.effect(file(254, false), 1000).delta(), "kept within the priority range");
    }

    @Test
    void weightZeroFaultsOnAnyValueButZeroAndReverseTurnsThatRound() {
        assertNull(TrackFileValue.effect(file(0, false), 0).fault());
        assertEquals("/run/f holds 3", TrackFileValue.effect(file(0, false), 3).fault());
        assertEquals("/run/f holds 0", TrackFileValue.effect(file(0, true), 0).fault());
        assertNull(TrackFileValue.effect(file(0, true), 1).fault());
    }

    /** A FIFO (or a directory) reads 0 at once: opening a FIFO waited for a writer and froze the VRRP loop. */
    @Test
    void aFifoOrADirectoryReadsZeroWithoutWaiting() throws Exception {
        Path fifo = dir.resolve("fifo");
        Process p = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertEquals(0, p.waitFor());
        OptionalLong v = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(10),
                () -> TrackFileValue.read(fifo), "reading a FIFO blocked");
        assertEquals(OptionalLong.of(0), v);
        assertEquals(OptionalLong.of(0), TrackFileValue.read(dir));
        Path real = Files.writeString(dir.resolve("value"), "7\n");
        Path link = Files.createSymbolicLink(dir.resolve("link"), real);
        assertEquals(OptionalLong.of(7), TrackFileValue.read(link), "a link to a regular file is read");
    }
}
