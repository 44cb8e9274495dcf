package io.vipkeeper.appliance.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Reads {@code vrrp.track-files} entries and an instance's {@code track-files} list. */
final class TrackFileReader {
    private TrackFileReader() {
    }

    /** One entry, or null after a problem. */
    static VrrpTrackFile read(String name, ConfigNode n) {
        String file = n.string("file");
        Integer weight = n.integer("weight", -254, 254);
        Boolean reverse = n.bool("reverse");
        if (file != null && !file.startsWith("/")) {
            n.problem("file", "\"" + file + "\" is not an absolute path");
            file = null;
        }
        n.checkUnknownKeys();
        return file == null || weight == null || reverse == null ? null
                : new VrrpTrackFile(name, Path.of(file), weight, reverse);
    }

    /** The instance's {@code track-files}: names of {@code files}, each once. */
    static List<String> tracked(ConfigNode n, Map<String, VrrpTrackFile> files) {
        return NameReferences.read(n, "track-files", files.keySet(), "file", "track-files");
    }
}
