package io.vipkeeper.appliance.vrrp;

import io.vipkeeper.appliance.config.VrrpSettings;
import io.vipkeeper.appliance.config.VrrpTrackFile;
import io.vipkeeper.appliance.config.VrrpTrackProcess;
import io.vipkeeper.vrrp.fsm.VrrpScheduler;
import java.nio.file.Path;
import java.util.Collection;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The tracked files and processes of the running instances (keepalived's track_file and
 * vrrp_track_process): watches those some instance tracks and applies each one's state to the
 * priority of the instances that track it. Used on the VRRP loop.
 */
final class InstanceTracking implements AutoCloseable {
    private static final String TRACK_FILE = "track-file ";
    private static final String TRACK_PROCESS = "track-process ";

    private final Supplier<Collection<VrrpInstanceRuntime>> instances;
    private final Supplier<VrrpSettings> current;
    private final TrackFiles files;
    private final TrackProcesses processes;

    /** Applies changes to {@code instances} as {@code current} defines the tracked items, on {@code scheduler}. */
    InstanceTracking(VrrpScheduler scheduler, Supplier<Collection<VrrpInstanceRuntime>> instances,
            Supplier<VrrpSettings> current) {
        this.instances = instances;
        this.current = current;
        this.files = new TrackFiles(scheduler::execute, (name, value) -> fileChanged(name));
        this.processes = new TrackProcesses(new ProcScan(Path.of("/proc")), scheduler::execute,
                (name, state) -> processChanged(name), System::nanoTime);
    }

    /** Watches exactly what some instance of {@code settings} tracks (read at once). */
    void watch(VrrpSettings settings) {
        files.watch(used(settings.trackFiles().values(), VrrpTrackFile::name, settings,
                i -> i.trackFiles()));
        processes.watch(used(settings.trackProcesses().values(), VrrpTrackProcess::name, settings,
                i -> i.trackProcesses()));
    }

    private static <T> java.util.Map<String, T> used(Collection<T> all, Function<T, String> name,
            VrrpSettings settings, Function<io.vipkeeper.appliance.config.VrrpInstance, java.util.List<String>> tracks) {
        return all.stream().filter(t -> settings.instances().values().stream()
                .anyMatch(i -> tracks.apply(i).contains(name.apply(t))))
                .collect(Collectors.toMap(name, t -> t));
    }

    /** Applies the current state of everything {@code rt} tracks (a new instance). */
    void apply(VrrpInstanceRuntime rt, VrrpSettings settings) {
        rt.settings.trackFiles().forEach(f -> file(rt, settings.trackFiles().get(f)));
        rt.settings.trackProcesses().forEach(p -> process(rt, settings.trackProcesses().get(p)));
    }

    private void fileChanged(String name) {
        instances.get().stream().filter(rt -> rt.settings.trackFiles().contains(name))
                .forEach(rt -> file(rt, current.get().trackFiles().get(name)));
    }

    private void processChanged(String name) {
        instances.get().stream().filter(rt -> rt.settings.trackProcesses().contains(name))
                .forEach(rt -> process(rt, current.get().trackProcesses().get(name)));
    }

    private void file(VrrpInstanceRuntime rt, VrrpTrackFile f) {
        TrackFileValue.Effect e = TrackFileValue.effect(f, files.value(f.name()));
        rt.tracked.adjust(TRACK_FILE + f.name(), e.delta(), e.fault());
    }

    private void process(VrrpInstanceRuntime rt, VrrpTrackProcess p) {
        TrackProcesses.State state = processes.state(p.name());
        rt.tracked.update(TRACK_PROCESS + p.name(), p.weight(), state.up(), "process " + p.name() + ": "
                + state.count() + " running, " + (p.reverse() ? "reversed quorum " : "quorum ") + p.quorum() + ".."
                + (p.quorumMax() == Integer.MAX_VALUE ? "unlimited" : p.quorumMax()));
    }

    @Override
    public void close() {
        files.close();
        processes.close();
    }
}
