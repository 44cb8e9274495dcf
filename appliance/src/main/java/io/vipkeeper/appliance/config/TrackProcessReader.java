package io.vipkeeper.appliance.config;

import io.vipkeeper.appliance.config.ConfigNode.Element;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads {@code vrrp.track-processes} entries and an instance's {@code track-processes} list. */
final class TrackProcessReader {
    private static final Duration MS10 = Duration.ofMillis(10);
    private static final String UNLIMITED = "unlimited";

    private TrackProcessReader() {
    }

    /** One entry, or null after a problem. */
    static VrrpTrackProcess read(String name, ConfigNode n) {
        List<String> command = null;
        com.typesafe.config.ConfigList list = n.list("process");
        if (list != null) {
            List<Element<String>> raw = n.stringList("process");
            command = raw.size() == list.size() ? raw.stream().map(Element::value).toList() : null;
        }
        if (list != null && command != null && (command.isEmpty() || command.get(0).isEmpty())) {
            n.problem("process", "needs the process name first");
            command = null;
        }
        VrrpTrackProcess.ParamMatch match = paramMatch(n, command);
        Boolean full = n.bool("full-command");
        Integer weight = n.integer("weight", -254, 254);
        Boolean reverse = n.bool("reverse");
        Integer quorum = n.integer("quorum", 0, Integer.MAX_VALUE);
        Integer quorumMax = quorumMax(n);
        if (quorum != null && quorumMax != null && quorumMax < quorum) {
            n.problem("quorum-max", quorumMax + " is below quorum " + quorum);
            quorumMax = null;
        }
        Duration fork = n.duration("fork-delay", Duration.ZERO, Duration.ofHours(1));
        Duration terminate = n.duration("terminate-delay", Duration.ZERO, Duration.ofHours(1));
        Duration interval = n.duration("interval", MS10, Duration.ofHours(1));
        n.checkUnknownKeys();
        if (command == null || match == null || full == null || weight == null || reverse == null || quorum == null
                || quorumMax == null || fork == null || terminate == null || interval == null) {
            return null;
        }
        return new VrrpTrackProcess(name, List.copyOf(command), match, full, weight, reverse, quorum, quorumMax, fork,
                terminate, interval);
    }

    /** "" = exact with parameters and none without (keepalived's default); else one of the words. */
    private static VrrpTrackProcess.ParamMatch paramMatch(ConfigNode n, List<String> command) {
        String word = n.string("param-match");
        if (word == null) {
            return null;
        }
        if (word.isEmpty()) {
            return command != null && command.size() > 1 ? VrrpTrackProcess.ParamMatch.EXACT
                    : VrrpTrackProcess.ParamMatch.NONE;
        }
        Optional<VrrpTrackProcess.ParamMatch> m = Arrays.stream(VrrpTrackProcess.ParamMatch.values())
                .filter(p -> p != VrrpTrackProcess.ParamMatch.NONE && p.configName().equals(word)).findFirst();
        if (m.isEmpty()) {
            n.problem("param-match", "\"" + word + "\" is not one of exact | partial | initial");
            return null;
        }
        return m.get();
    }

    private static Integer quorumMax(ConfigNode n) {
        if (n.value("quorum-max") != null && UNLIMITED.equals(n.value("quorum-max").unwrapped())) {
            return Integer.MAX_VALUE;
        }
        if (n.value("quorum-max") != null
                && n.value("quorum-max").valueType() == com.typesafe.config.ConfigValueType.STRING) {
            n.problem("quorum-max", "\"" + n.value("quorum-max").unwrapped() + "\" is not a number or unlimited");
            return null;
        }
        return n.integer("quorum-max", 0, Integer.MAX_VALUE);
    }

    /** The instance's {@code track-processes}: names of {@code processes}, each once. */
    static List<String> tracked(ConfigNode n, Map<String, VrrpTrackProcess> processes) {
        return NameReferences.read(n, "track-processes", processes.keySet(), "process", "track-processes");
    }
}
