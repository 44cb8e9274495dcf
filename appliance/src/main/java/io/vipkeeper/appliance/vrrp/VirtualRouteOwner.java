package io.vipkeeper.appliance.vrrp;

import io.vipkeeper.vrrp.fsm.AddressOwner;
import io.vipkeeper.vrrp.fsm.VrrpScheduler;
import io.vipkeeper.vrrp.linux.Errno;
import io.vipkeeper.vrrp.linux.netlink.NetlinkException;
import io.vipkeeper.vrrp.linux.netlink.NetlinkMessage;
import io.vipkeeper.vrrp.linux.rtnl.RouteEntry;
import io.vipkeeper.vrrp.linux.rtnl.Routing;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns an instance's virtual routes and rules (keepalived's virtual_routes / virtual_rules) the way
 * {@code LinuxAddressOwner} owns its VIPs: a claim installs them, routes before rules, right after
 * the VIPs (a route's src may be a VIP, which must be there first) and after the takeover's first
 * advert (they are not on the failover's critical path); a release removes them, rules first.
 * All on the VRRP loop, through the platform's rtnetlink socket.
 *
 * <p>A master holds what it claimed: {@link #repair} (after a route or rule was deleted anywhere)
 * puts back whatever of its entries is missing; an add that finds the entry there does nothing
 * (NLM_F_EXCL answers EEXIST; for a route only when the route there is this one: another route in
 * its place, such as the host's own with another gateway, is a refusal; so is ours replaced in
 * place by another, {@link #replaced}). keepalived's default is to take the instance out of MASTER instead;
 * vipkeeper keeps VIPs that way too. An entry the kernel refuses (a gateway not on any link, a
 * table the kernel lacks) is counted and logged once with the kernel's reason until it succeeds,
 * and never changes the instance's state.
 *
 * <p>Owners of one host share a ledger: a release leaves alone an entry that another owner claimed
 * since (a reload's successor that kept it), so a reload removes only the entries it dropped.
 */
final class VirtualRouteOwner implements AddressOwner {
    private static final Logger LOG = LoggerFactory.getLogger(VirtualRouteOwner.class);

    /**
     * One route or rule.
     *
     * @param key what identifies it in the ledger (the kernel entry, equal across reloads)
     * @param add its add
     * @param remove its removal
     */
    record Entry(Object key, Routing.Change add, Routing.Change remove) {
    }

    private final String instance;
    /** Routes, then rules: the order of installing. */
    private final List<Entry> entries;
    private final Routing routing;
    private final VrrpScheduler scheduler;
    /** Last claimer of each entry on this host (VRRP loop only). */
    private final Map<Object, Object> ledger;
    /** The owners holding their entries now (VRRP loop only). */
    private final Set<VirtualRouteOwner> holders;
    /**
     * Routes of this host known to be in the kernel as ours (we added them, or a lookup found them
     * after an EEXIST), so that only an EEXIST of a route not known costs a route dump: the repairs
     * after every route deletion on the host and a reload's claims of kept routes need none (VRRP
     * loop only).
     */
    private final Set<Object> ours;
    /** This owner's routes a lookup found taken by another route: refused again without a dump until added or released. */
    private final Set<Object> taken = new HashSet<>();
    private final AtomicLong refusals;
    /** Entries whose refusal was logged and has not succeeded since. */
    private final Set<Object> refusedLogged = new HashSet<>();
    private boolean holding;

    VirtualRouteOwner(String instance, List<Entry> entries, Routing routing, VrrpScheduler scheduler,
            Map<Object, Object> ledger, Set<VirtualRouteOwner> holders, Set<Object> ours, AtomicLong refusals) {
        this.instance = instance;
        this.entries = List.copyOf(entries);
        this.routing = routing;
        this.scheduler = scheduler;
        this.ledger = ledger;
        this.holders = holders;
        this.ours = ours;
        this.refusals = refusals;
    }

    @Override
    public void claim() {
        if (!scheduler.inEventLoop()) {
            scheduler.execute(this::claim);
            return;
        }
        holding = true;
        taken.clear(); // each claim looks once more at what held its routes' places
        holders.add(this);
        entries.forEach(e -> ledger.put(e.key(), this));
        // After the takeover's first advert and the VIPs' adds (queued before this on the loop).
        scheduler.execute(() -> {
            if (holding) {
                int added = install();
                LOG.info("{}: virtual routes and rules in place: {} of {} added now", instance, added, entries.size());
            }
        });
    }

    /** Puts back whatever entry is missing while holding (a route or rule was deleted somewhere). */
    void repair() {
        if (holding) {
            int added = install();
            if (added > 0) {
                LOG.warn("{}: put back {} virtual route(s)/rule(s) removed while MASTER", instance, added);
            }
        }
    }

    /**
     * Sees whether route replacements ({@code ip route replace}, which deletes nothing) put another
     * route in the place of one of ours while holding: such a route is taken, as one found at the
     * claim is (counted, logged once, left alone, ours added again when it goes).
     */
    void replaced(List<NetlinkMessage> events) {
        if (!holding) {
            return;
        }
        for (Entry e : entries) {
            RouteEntry route = e.add().route();
            if (route == null) {
                continue;
            }
            if (taken.contains(e.key()) && events.stream().anyMatch(m -> Routing.isThis(m, route))) {
                // Replaced back by exactly ours: in place again, no longer counted at each repair.
                taken.remove(e.key());
                ours.add(e.key());
                refusedLogged.remove(e.key());
                LOG.info("{}: route {} is in place again (replaced back by hand)", instance, route);
            } else if (ours.contains(e.key()) && events.stream().anyMatch(m -> Routing.displaces(m, route))) {
                ours.remove(e.key());
                taken.add(e.key());
                refusals.incrementAndGet();
                if (refusedLogged.add(e.key())) {
                    LOG.error("{}: route {} was replaced by another route with its table, destination and metric"
                            + " (counted; left alone; added again when that route goes; the instance stays as it is)",
                            instance, route);
                }
            }
        }
    }

    /** Adds every entry; how many were missing. */
    private int install() {
        int added = 0;
        for (Entry e : entries) {
            try {
                if (routing.apply(e.add()) == Routing.Outcome.CHANGED) {
                    added++;
                    taken.remove(e.key());
                    LOG.debug("{}: {}", instance, e.add().what());
                } else if (e.add().route() != null && !ours.contains(e.key())
                        && (taken.contains(e.key()) || !routing.holds(e.add().route()))) {
                    // EEXIST says only that a route with its table, destination and metric is there.
                    taken.add(e.key());
                    throw new NetlinkException(e.add().what()
                            + " (another route with its table, destination and metric is there)", Errno.EEXIST.number());
                }
                ours.add(e.key());
                refusedLogged.remove(e.key());
            } catch (RuntimeException ex) {
                ours.remove(e.key());
                refusals.incrementAndGet();
                if (refusedLogged.add(e.key())) {
                    // A NetlinkException's message is the change's description and the errno.
                    String what = ex instanceof NetlinkException ? ex.getMessage() : e.add().what() + ": " + ex;
                    LOG.error("{}: the kernel refused {} (counted; said once until it succeeds; the instance"
                            + " stays as it is)", instance, what);
                }
            }
        }
        return added;
    }

    @Override
    public void release() {
        if (!scheduler.inEventLoop()) {
            scheduler.execute(this::release);
            return;
        }
        boolean held = holding;
        holding = false;
        holders.remove(this);
        int removed = 0;
        for (int i = entries.size() - 1; i >= 0; i--) {
            Entry e = entries.get(i);
            Object holder = ledger.get(e.key());
            if (holder != null && holder != this) {
                continue; // a successor claimed it: it stays
            }
            ledger.remove(e.key());
            ours.remove(e.key());
            taken.remove(e.key());
            try {
                if (routing.apply(e.remove()) == Routing.Outcome.CHANGED) {
                    removed++;
                }
            } catch (RuntimeException ex) {
                LOG.error("{}: {}", instance, ex.getMessage());
            }
        }
        if (held || removed > 0) {
            LOG.info("{}: virtual routes and rules removed: {}", instance, removed);
        }
    }
}
