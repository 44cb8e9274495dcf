package io.vipkeeper.appliance.keepalived;

/**
 * use_vmac [NAME] [MAC] and vmac_xmit_base to vipkeeper's use-vmac and vmac-name. vipkeeper's vmac
 * always has the VRRP virtual MAC (00:00:5e:00:01:VRID, IPv6 00:00:5e:00:02:VRID) and is private
 * (keepalived's default mode); with unicast peers it sends the adverts from the base interface,
 * which is what vmac_xmit_base asks for (and what keepalived needs with unicast peers).
 */
final class VmacImport {
    private static final String VRRP_MAC_PREFIX = "00:00:5e:00:01";
    private static final String VRRP_MAC_PREFIX_IPV6 = "00:00:5e:00:02";

    private VmacImport() {
    }

    static void map(ImportContext ctx, Statement vmac, Statement xmitBase, boolean ipv6, boolean unicast, Integer vrid,
            Hocon out) {
        if (vmac == null) {
            if (xmitBase != null) {
                ctx.notes.fallback(xmitBase.origin(), "vmac_xmit_base", "without use_vmac there is no vmac to send "
                        + "around; keepalived sends from the interface, and so does the import");
            }
            return;
        }
        String prefix = ipv6 ? VRRP_MAC_PREFIX_IPV6 : VRRP_MAC_PREFIX;
        out.put("use-vmac", true);
        vmac.word(1).ifPresent(name -> {
            if (name.length() <= 15) {
                out.put("vmac-name", name);
            } else {
                ctx.notes.fallback(vmac.origin(), "use_vmac", name + " is longer than an interface name (15); "
                        + "the import uses vipkeeper's vrrp.VRID");
            }
        });
        vmac.word(2).ifPresent(mac -> {
            String m = mac.toLowerCase(java.util.Locale.ROOT);
            String full = vrid == null ? null : String.format("%s:%02x", prefix, vrid);
            if (!m.equals(prefix) && !m.equals(full)) {
                ctx.unsupported(vmac, "vipkeeper's vmac always has the VRRP virtual MAC " + prefix
                        + ":VRID; " + mac + " is not carried");
            }
        });
        if (xmitBase != null) {
            if (unicast) {
                ctx.notes.note(xmitBase.origin(), "vmac_xmit_base", "vipkeeper sends unicast adverts from the "
                        + "interface, as vmac_xmit_base asks");
            } else {
                ctx.unsupported(xmitBase, "vipkeeper sends multicast adverts from the vmac (the virtual MAC, as the "
                        + "RFC has it); there is no setting for the interface's MAC");
            }
        }
    }
}
