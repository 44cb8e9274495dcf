package io.vipkeeper.appliance.vrrp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vipkeeper.appliance.config.VrrpTrackFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real inotify watch (the JDK's WatchService) on a temporary directory: writes, renames and deletes are seen. */
class TrackFilesTest {
    @TempDir
    Path dir;

    private record Change(String name, long value) {
    }

    @Test
    void reportsEveryWayAFileChanges() throws Exception {
        Path file = dir.resolve("weight");
        Files.writeString(file, "4\n");
        LinkedBlockingQueue<Change> changes = new LinkedBlockingQueue<>();
        try (TrackFiles files = new TrackFiles(Runnable::run, (n, v) -> changes.add(new Change(n, v)))) {
            files.watch(Map.of("w", new VrrpTrackFile("w", file, 1, false)));
            assertEquals(4, files.value("w"), "read when watched");

            Files.writeString(file, "9\n");
            assertEquals(new Change("w", 9), changes.poll(5, TimeUnit.SECONDS), "written in place");

            Path next = Files.writeString(dir.resolve("weight.new"), "-3\n");
            Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            assertEquals(new Change("w", -3), changes.poll(5, TimeUnit.SECONDS), "renamed over it");

            Files.delete(file);
            assertEquals(new Change("w", 0), changes.poll(5, TimeUnit.SECONDS), "deleted: 0");

            Files.writeString(dir.resolve("other"), "1\n");
            Files.writeString(file, "0\n");
            assertEquals(null, changes.poll(300, TimeUnit.MILLISECONDS), "another file and the same value say nothing");

            files.watch(Map.of());
            Files.writeString(file, "6\n");
            assertEquals(null, changes.poll(300, TimeUnit.MILLISECONDS), "no longer watched");
        }
    }

    /** A tracked symbolic link: a write to its target (in another directory) and a retargeted link are seen. */
    @Test
    void followsASymbolicLinkToItsTarget() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        Path a = Files.writeString(data.resolve("a"), "2\n");
        Path b = Files.writeString(data.resolve("b"), "7\n");
        Path links = Files.createDirectories(dir.resolve("links"));
        Path link = Files.createSymbolicLink(links.resolve("weight"), a);
        LinkedBlockingQueue<Change> changes = new LinkedBlockingQueue<>();
        try (TrackFiles files = new TrackFiles(Runnable::run, (n, v) -> changes.add(new Change(n, v)))) {
            files.watch(Map.of("w", new VrrpTrackFile("w", link, 1, false)));
            assertEquals(2, files.value("w"));

            Files.writeString(a, "5\n");
            assertEquals(new Change("w", 5), changes.poll(5, TimeUnit.SECONDS), "the target written in place");

            Path next = Files.createSymbolicLink(links.resolve("weight.new"), b);
            Files.move(next, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            assertEquals(new Change("w", 7), changes.poll(5, TimeUnit.SECONDS), "the link pointed at b");

            Files.writeString(b, "8\n");
            assertEquals(new Change("w", 8), changes.poll(5, TimeUnit.SECONDS), "the new target written");
        }
    }

    /** A link whose target does not exist yet: the target's creation and its writes are seen (breaker review). */
    @Test
    void aDanglingLinkIsSeenWhenItsTargetAppears() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        Path links = Files.createDirectories(dir.resolve("links"));
        Path link = Files.createSymbolicLink(links.resolve("weight"), data.resolve("later"));
        LinkedBlockingQueue<Change> changes = new LinkedBlockingQueue<>();
        try (TrackFiles files = new TrackFiles(Runnable::run, (n, v) -> changes.add(new Change(n, v)))) {
            files.watch(Map.of("w", new VrrpTrackFile("w", link, 1, false)));
            assertEquals(0, files.value("w"));
            Files.writeString(data.resolve("later"), "1\n");
            assertEquals(new Change("w", 1), changes.poll(5, TimeUnit.SECONDS), "the target created");
            Files.writeString(data.resolve("later"), "5\n");
            assertEquals(new Change("w", 5), changes.poll(5, TimeUnit.SECONDS), "and written");
        }
    }
}
