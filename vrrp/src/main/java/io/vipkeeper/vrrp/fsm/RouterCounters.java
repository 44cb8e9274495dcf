package io.vipkeeper.vrrp.fsm;

import io.vipkeeper.vrrp.codec.DropReason;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/** Counters of one virtual router: written on its event loop, read from anywhere (status, metrics). */
public final class RouterCounters {
    private final AtomicLong transitions = new AtomicLong();
    private final AtomicLong advertsSent = new AtomicLong();
    private final AtomicLong advertsReceived = new AtomicLong();
    private final AtomicLong becameMaster = new AtomicLong();
    private final AtomicLong addressesRestored = new AtomicLong();
    private final AtomicLongArray drops = new AtomicLongArray(DropReason.values().length);

    /** Adds every count of {@code earlier} (a predecessor's, see {@link Succession}). */
    void addAll(RouterCounters earlier) {
        transitions.addAndGet(earlier.transitions());
        advertsSent.addAndGet(earlier.advertsSent());
        advertsReceived.addAndGet(earlier.advertsReceived());
        becameMaster.addAndGet(earlier.becameMaster());
        addressesRestored.addAndGet(earlier.addressesRestored());
        for (int i = 0; i < drops.length(); i++) {
            drops.addAndGet(i, earlier.drops.get(i));
        }
    }

    void transition(RouterState to) {
        transitions.incrementAndGet();
        if (to == RouterState.MASTER) {
            becameMaster.incrementAndGet();
        }
    }

    void restored() {
        addressesRestored.incrementAndGet();
    }

    /** Times a master put back a VIP that something else had removed from its interface. */
    public long addressesRestored() {
        return addressesRestored.get();
    }

    void sent() {
        advertsSent.incrementAndGet();
    }

    void received() {
        advertsReceived.incrementAndGet();
    }

    /** Counts one discarded message. */
    public void dropped(DropReason reason) {
        drops.incrementAndGet(reason.ordinal());
    }

    /** State changes so far. */
    public long transitions() {
        return transitions.get();
    }

    /** Times this router became master. */
    public long becameMaster() {
        return becameMaster.get();
    }

    /** Advertisements sent. */
    public long advertsSent() {
        return advertsSent.get();
    }

    /** Advertisements that passed every check. */
    public long advertsReceived() {
        return advertsReceived.get();
    }

    /** Messages discarded for {@code reason}. */
    public long droppedCount(DropReason reason) {
        return drops.get(reason.ordinal());
    }

    /** Every drop counter, including zeros. */
    public Map<DropReason, Long> drops() {
        Map<DropReason, Long> map = new EnumMap<>(DropReason.class);
        for (DropReason r : DropReason.values()) {
            map.put(r, drops.get(r.ordinal()));
        }
        return map;
    }
}
