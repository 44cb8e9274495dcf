package io.vipkeeper.appliance.vrrp;

import io.vipkeeper.appliance.config.VrrpTrackFile;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the tracked files (keepalived's track_file) through the JDK's WatchService, which is
 * inotify on Linux: no process runs and no polling; each file's directory is watched, so a file
 * created, replaced by a rename or deleted is seen too, and for a symbolic link its target's
 * directory as well. Reports a file's value when it changes,
 * on {@code loop}. The thread starts with the first file.
 */
final class TrackFiles implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TrackFiles.class);
    /**
     * After an event, wait this long for the rest of the write: `echo 5 > file` truncates first,
     * and reading in between would see an empty file, 0, for an instant.
     */
    private static final long SETTLE_MILLIS = 20;

    private final Executor loop;
    private final BiConsumer<String, Long> onChange;
    private final Map<String, VrrpTrackFile> files = new ConcurrentHashMap<>();
    private final Map<String, Long> values = new ConcurrentHashMap<>();
    private final Map<Path, WatchKey> directories = new HashMap<>();
    /** Each file's path with its symbolic links resolved, as last seen. */
    private final Map<String, Path> targets = new ConcurrentHashMap<>();
    private WatchService watcher;
    private Thread thread;

    /** Reports changes as {@code onChange(name, value)} on {@code loop}. */
    TrackFiles(Executor loop, BiConsumer<String, Long> onChange) {
        this.loop = loop;
        this.onChange = onChange;
    }

    /**
     * Watches exactly {@code wanted} from now on (a reload's set) and reads each new or changed
     * one at once, so {@link #value} answers for each when this returns.
     */
    synchronized void watch(Map<String, VrrpTrackFile> wanted) {
        files.keySet().removeIf(name -> !wanted.containsKey(name));
        targets.keySet().removeIf(name -> !wanted.containsKey(name));
        values.keySet().removeIf(name -> !wanted.containsKey(name));
        for (VrrpTrackFile f : wanted.values()) {
            if (!f.equals(files.put(f.name(), f))) {
                values.put(f.name(), TrackFileValue.read(f.file()).orElse(0));
                register(f.file().getParent());
                followLink(f);
            }
        }
    }

    /**
     * A tracked path that is a symbolic link: its target's directory is watched too, so a write to
     * the target is seen (inotify reports it there, not at the link), also after the link is
     * pointed elsewhere. Returns the target now (the path itself when it is no link or dangles).
     */
    private Path followLink(VrrpTrackFile f) {
        try {
            Path target = f.file().toRealPath();
            if (!target.equals(f.file())) {
                register(target.getParent());
            }
            targets.put(f.name(), target);
            return target;
        } catch (IOException e) {
            // A dangling link: watch where it points, so the target's creation is seen.
            Path target = f.file();
            try {
                if (Files.isSymbolicLink(f.file())) {
                    target = f.file().resolveSibling(Files.readSymbolicLink(f.file())).normalize();
                    if (target.getParent() != null && Files.isDirectory(target.getParent())) {
                        register(target.getParent());
                    }
                }
            } catch (IOException | UnsupportedOperationException ignored) {
                target = f.file();
            }
            targets.put(f.name(), target);
            return target;
        }
    }

    /** Whether an event on {@code touched} may have changed file {@code f}'s value. */
    private boolean touches(VrrpTrackFile f, java.util.Set<Path> touched) {
        Path target = targets.getOrDefault(f.name(), f.file());
        return touched.contains(f.file()) || touched.contains(f.file().getParent()) || touched.contains(target)
                || touched.contains(target.getParent());
    }

    private void register(Path dir) {
        if (directories.containsKey(dir)) {
            return;
        }
        try {
            if (watcher == null) {
                watcher = FileSystems.getDefault().newWatchService();
                thread = new Thread(this::run, "vrrp-track-file");
                thread.setDaemon(true);
                thread.start();
            }
            directories.put(dir, dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE,
                    StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE));
        } catch (IOException e) {
            LOG.warn("track-file: cannot watch {}: {}; its files keep the value read now", dir, e.toString());
        }
    }

    /** The last value read from file {@code name} (0 before any). */
    long value(String name) {
        return values.getOrDefault(name, 0L);
    }

    private void run() {
        try {
            while (true) {
                WatchKey key = watcher.take();
                Thread.sleep(SETTLE_MILLIS);
                Path dir = (Path) key.watchable();
                java.util.Set<Path> touched = new java.util.HashSet<>();
                collect(key, dir, touched);
                WatchKey more;
                while ((more = watcher.poll()) != null) {
                    collect(more, (Path) more.watchable(), touched);
                }
                synchronized (this) {
                    files.values().stream().filter(f -> touches(f, touched)).forEach(f -> {
                        followLink(f);
                        reread(f);
                    });
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closed
        }
    }

    private static void collect(WatchKey key, Path dir, java.util.Set<Path> touched) {
        for (WatchEvent<?> event : key.pollEvents()) {
            if (event.context() instanceof Path name) {
                touched.add(dir.resolve(name));
            } else {
                // OVERFLOW: events were lost, read every file of the directory again.
                touched.add(dir);
            }
        }
        key.reset();
    }

    private void reread(VrrpTrackFile f) {
        OptionalLong v = TrackFileValue.read(f.file());
        if (v.isEmpty()) {
            LOG.warn("track-file {}: {} holds a number outside 32 bits; keeping {}", f.name(), f.file(), value(f.name()));
            return;
        }
        Long before = values.put(f.name(), v.getAsLong());
        if (!Objects.equals(before, v.getAsLong())) {
            LOG.info("track-file {}: {} now holds {}", f.name(), f.file(), v.getAsLong());
            loop.execute(() -> onChange.accept(f.name(), v.getAsLong()));
        }
    }

    @Override
    public synchronized void close() {
        if (watcher != null) {
            try {
                watcher.close();
            } catch (IOException e) {
                LOG.debug("closing the watcher: {}", e.toString());
            }
        }
    }
}
