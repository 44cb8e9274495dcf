package io.vipkeeper.vrrp.fsm;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * Which address owner claimed each virtual address on each interface last, so that a release
 * never removes an address that another owner claimed since: a reload's successor router that
 * kept the address, or an instance re-added while its removed predecessor still hands over (whose
 * handover timer would otherwise delete the address the new master had just claimed). One per
 * host; used on the VRRP loop only.
 */
public final class AddressLedger {
    private record Key(String ifname, InetAddress address) {
    }

    private final Map<Key, Object> holders = new HashMap<>();

    /** Records that {@code owner} put {@code address} on {@code ifname}. */
    public void claimed(Object owner, String ifname, InetAddress address) {
        holders.put(new Key(ifname, address), owner);
    }

    /**
     * Whether {@code owner} may remove {@code address} from {@code ifname}: it claimed it last, or
     * nobody did (a leftover of a crashed run). The address is forgotten when the answer is yes.
     */
    public boolean mayRelease(Object owner, String ifname, InetAddress address) {
        Key key = new Key(ifname, address);
        Object holder = holders.get(key);
        if (holder != null && holder != owner) {
            return false;
        }
        holders.remove(key);
        return true;
    }
}
