package io.vipkeeper.appliance.vm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * vagrant/ipvs-vm/pack-initrd, the VM cache's initramfs writer: the real cpio and gzip on a small
 * directory, and a cpio that dies half way (first on PATH), which must leave the cache as it was.
 */
class PackInitrdTest {
    private static final Path SCRIPT = Shell.repo().resolve("vagrant/ipvs-vm/pack-initrd");

    @TempDir
    Path tmp;
    private Path tree;
    private Path cache;

    @BeforeEach
    void tree() throws IOException {
        tree = Files.createDirectories(tmp.resolve("tree"));
        Files.writeString(Files.createDirectory(tree.resolve("bin")).resolve("busybox"), "not really busybox");
        Files.writeString(tree.resolve("init"), "#!/bin/busybox sh\n");
        cache = Files.createDirectory(tmp.resolve("cache"));
    }

    @Test
    void packsTheDirectoryAsAGzippedNewcArchive() throws IOException {
        Path initrd = cache.resolve("initrd.gz");
        assertEquals(0, pack(initrd, List.of()).code());
        String listing = Shell.sh("gzip -dc '" + initrd + "' | cpio -it --quiet");
        assertEquals(List.of(".", "bin", "bin/busybox", "init"), listing.lines().sorted().toList());
        assertEquals(List.of(initrd), files(cache), "no temporary file left beside it");
    }

    @Test
    void aCpioThatFailsHalfWayLeavesNoInitrd() throws IOException {
        Shell.Result r = pack(cache.resolve("initrd.gz"), failingCpio());
        assertNotEquals(0, r.code(), r.output());
        assertEquals(List.of(), files(cache), "a truncated initrd.gz or a temporary file was left");
    }

    @Test
    void aCpioThatFailsHalfWayKeepsTheCachedInitrd() throws IOException {
        Path initrd = cache.resolve("initrd.gz");
        assertEquals(0, pack(initrd, List.of()).code());
        byte[] good = Files.readAllBytes(initrd);
        Shell.Result r = pack(initrd, failingCpio());
        assertNotEquals(0, r.code(), r.output());
        assertArrayEquals(good, Files.readAllBytes(initrd), "the cached initrd.gz was overwritten");
        assertEquals(List.of(initrd), files(cache));
    }

    /** A directory holding a cpio that writes part of an archive, then fails. */
    private List<Path> failingCpio() throws IOException {
        Path bin = Files.createDirectory(tmp.resolve("bin"));
        Path cpio = bin.resolve("cpio");
        Files.writeString(cpio, "#!/bin/sh\nhead -c 5000 /dev/urandom\necho 'cpio: write error' >&2\nexit 2\n");
        Files.setPosixFilePermissions(cpio, PosixFilePermissions.fromString("rwxr-xr-x"));
        return List.of(bin);
    }

    /** pack-initrd TREE INITRD, with {@code pathFirst} ahead of PATH. */
    private Shell.Result pack(Path initrd, List<Path> pathFirst) {
        StringBuilder path = new StringBuilder();
        pathFirst.forEach(d -> path.append(d).append(':'));
        return Shell.tryRun(Map.of("PATH", path + System.getenv("PATH")), SCRIPT.toString(), tree.toString(),
                initrd.toString());
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }
}
