package io.vipkeeper.appliance.nftables;

import io.vipkeeper.appliance.dataplane.BackendKey;
import io.vipkeeper.appliance.dataplane.BackendSpec;
import io.vipkeeper.appliance.dataplane.DesiredService;
import io.vipkeeper.appliance.dataplane.ServiceKey;
import io.vipkeeper.appliance.dataplane.ServiceSpec;
import io.vipkeeper.appliance.dataplane.TableChange;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The table a change set leads to, built change by change with each service's backends changed
 * in place. Folding every change into an immutable {@link DesiredService} copied the service's
 * backends twice per change: programming 100 x 100 from empty copied about a million map entries
 * (a tenth of that start's allocation in the daemon's 64 MB heap). The result is what that fold
 * gave: services in the same order, an untouched service the very object it was, a touched one
 * rebuilt once with no backends to remove at once.
 */
final class TableDraft {
    /** A service as the changes so far leave it; {@code dests} copied at its first change. */
    private static final class Draft {
        final DesiredService original;
        ServiceSpec spec;
        LinkedHashMap<BackendKey, BackendSpec> dests;

        Draft(DesiredService original) {
            this.original = original;
            this.spec = original.spec();
        }

        Draft(ServiceSpec spec, Map<BackendKey, BackendSpec> dests) {
            this.original = null;
            this.spec = spec;
            this.dests = new LinkedHashMap<>(dests);
        }

        Map<BackendKey, BackendSpec> dests() {
            return dests != null ? dests : original.dests();
        }

        LinkedHashMap<BackendKey, BackendSpec> changing() {
            if (dests == null) {
                dests = new LinkedHashMap<>(original.dests());
            }
            return dests;
        }

        DesiredService build() {
            return dests == null && spec == original.spec() ? original : new DesiredService(spec, dests());
        }
    }

    private final Map<ServiceKey, Draft> services = new LinkedHashMap<>();

    TableDraft(Map<ServiceKey, DesiredService> table) {
        table.forEach((k, v) -> services.put(k, new Draft(v)));
    }

    boolean has(ServiceKey key) {
        return services.containsKey(key);
    }

    /** The spec of service {@code key}, which {@link #has} it. */
    ServiceSpec spec(ServiceKey key) {
        return services.get(key).spec;
    }

    /** The backends of service {@code key}, which {@link #has} it; a view, not to be changed. */
    Map<BackendKey, BackendSpec> dests(ServiceKey key) {
        return Collections.unmodifiableMap(services.get(key).dests());
    }

    /** Applies {@code op}, as {@code NftablesDataPlane.fold} does to a table. */
    void fold(TableChange op) {
        ServiceKey key = op.service();
        Draft old = services.get(key);
        if (op instanceof TableChange.NewService o) {
            services.put(key, new Draft(o.spec(), old == null ? Map.of() : old.dests()));
        } else if (op instanceof TableChange.SetService o) {
            // A new DesiredService in the fold, so the service is rebuilt even with the same spec.
            old.changing();
            old.spec = o.spec();
        } else if (op instanceof TableChange.DelService) {
            services.remove(key);
        } else if (op instanceof TableChange.NewBackend o) {
            old.changing().put(o.dest().key(), o.dest());
        } else if (op instanceof TableChange.SetBackend o) {
            old.changing().put(o.dest().key(), o.dest());
        } else if (op instanceof TableChange.DelBackend o) {
            old.changing().remove(o.dest());
        }
    }

    /** The table, each changed service built once. */
    Map<ServiceKey, DesiredService> table() {
        Map<ServiceKey, DesiredService> out = new LinkedHashMap<>();
        services.forEach((k, d) -> out.put(k, d.build()));
        return out;
    }
}
