package io.vipkeeper.appliance.vrrp;

import io.vipkeeper.appliance.config.VrrpSettings;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The VRRP instances the operator put in maintenance on this node ({@code vipkeeper vrrp maintenance
 * on}), kept in the state file so that a restart or a reload keeps them there. Changed by the
 * control socket's order thread and by reloads, read on the VRRP loop when routers start: every
 * access holds this object's lock.
 */
public final class Maintenance {
    private static final Logger LOG = LoggerFactory.getLogger(Maintenance.class);

    /** Where the set is kept (the runtime state file, beside the backend states). */
    public interface Store {
        /** The instances kept; none when nothing was kept yet. */
        Set<String> load();

        /** Replaces what is kept, atomically; nothing changed when it throws. */
        void save(Set<String> instances) throws IOException;
    }

    /** A store in memory only (tests, a daemon without a state file). */
    public static Store inMemory() {
        return new Store() {
            private Set<String> kept = Set.of();

            @Override
            public synchronized Set<String> load() {
                return kept;
            }

            @Override
            public synchronized void save(Set<String> instances) {
                kept = Set.copyOf(instances);
            }
        };
    }

    private final Store store;
    private SortedSet<String> names;

    /** The set kept in {@code store}, read now. */
    public Maintenance(Store store) {
        this.store = store;
        this.names = new TreeSet<>(store.load());
        if (!names.isEmpty()) {
            LOG.info("VRRP instances in maintenance (kept from the last run): {}", String.join(", ", names));
        }
    }

    /** The instances in maintenance, sorted. */
    public synchronized SortedSet<String> names() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(names));
    }

    /** Whether {@code instance} is in maintenance. */
    public synchronized boolean contains(String instance) {
        return names.contains(instance);
    }

    /**
     * Replaces the set: written first, kept only once written.
     *
     * @throws IOException when it cannot be written (nothing changed)
     */
    synchronized void set(Set<String> next) throws IOException {
        store.save(next);
        names = new TreeSet<>(next);
    }

    /**
     * Drops the instances {@code settings} no longer has (a reload, or a start with an edited
     * file) and logs each; returns their names.
     */
    synchronized List<String> retain(VrrpSettings settings) {
        List<String> dropped = new ArrayList<>();
        for (String name : names) {
            if (!settings.instances().containsKey(name)) {
                dropped.add(name);
            }
        }
        if (dropped.isEmpty()) {
            return dropped;
        }
        SortedSet<String> next = new TreeSet<>(names);
        next.removeAll(dropped);
        for (String name : dropped) {
            LOG.warn("VRRP maintenance of {} dropped: the instance is no longer in the config", name);
        }
        try {
            set(next);
        } catch (IOException e) {
            // Gone from memory all the same: the next order writes the file again.
            names = next;
            LOG.warn("cannot write the runtime state: {}", e.getMessage());
        }
        return dropped;
    }
}
