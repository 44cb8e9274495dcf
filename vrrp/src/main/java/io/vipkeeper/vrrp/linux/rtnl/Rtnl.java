package io.vipkeeper.vrrp.linux.rtnl;

/** rtnetlink numbers (linux/rtnetlink.h, if_addr.h, if_link.h, if.h). */
public final class Rtnl {
    public static final int RTM_NEWLINK = 16;
    public static final int RTM_DELLINK = 17;
    public static final int RTM_GETLINK = 18;
    public static final int RTM_NEWADDR = 20;
    public static final int RTM_DELADDR = 21;
    public static final int RTM_GETADDR = 22;
    public static final int RTM_NEWROUTE = 24;
    public static final int RTM_DELROUTE = 25;
    public static final int RTM_GETROUTE = 26;
    public static final int RTM_NEWRULE = 32;
    public static final int RTM_DELRULE = 33;
    /** rtattr types of struct rtmsg (rtnetlink.h enum rtattr_type_t). */
    public static final int RTA_DST = 1;
    public static final int RTA_OIF = 4;
    public static final int RTA_GATEWAY = 5;
    public static final int RTA_PRIORITY = 6;
    public static final int RTA_PREFSRC = 7;
    public static final int RTA_TABLE = 15;
    /** Attribute types of struct fib_rule_hdr (fib_rules.h). */
    public static final int FRA_DST = 1;
    public static final int FRA_SRC = 2;
    public static final int FRA_IIFNAME = 3;
    public static final int FRA_PRIORITY = 6;
    public static final int FRA_FWMARK = 10;
    public static final int FRA_TABLE = 15;
    public static final int FRA_FWMASK = 16;
    public static final int FRA_OIFNAME = 17;
    public static final int FRA_PROTOCOL = 21;
    /** rtm_type (rtnetlink.h): an ordinary route. */
    public static final int RTN_UNICAST = 1;
    /** rtm_scope RT_SCOPE_NOWHERE: in a delete, matches a route of any scope (as ip route del). */
    public static final int RT_SCOPE_NOWHERE = 255;
    /** fib_rule_hdr action FR_ACT_TO_TBL: look the packet up in the rule's table. */
    public static final int FR_ACT_TO_TBL = 1;
    /** Group bits for bind(): RTMGRP_IPV4_ROUTE | RTMGRP_IPV6_ROUTE | RTMGRP_IPV4_RULE | 1 << (RTNLGRP_IPV6_RULE - 1). */
    public static final int GROUPS_ROUTE_AND_RULE = 0x40 | 0x400 | 0x80 | 1 << 18;
    /** sizeof(struct rtmsg), sizeof(struct fib_rule_hdr). */
    public static final int RTMSG = 12;
    public static final int IFA_ADDRESS = 1;
    public static final int IFA_LOCAL = 2;
    public static final int IFA_LABEL = 3;
    public static final int IFA_BROADCAST = 4;
    public static final int IFA_FLAGS = 8;
    public static final int IFA_F_NODAD = 0x02;
    public static final int IFLA_ADDRESS = 1;
    public static final int IFLA_IFNAME = 3;
    public static final int IFLA_LINK = 5;
    public static final int IFLA_LINKINFO = 18;
    /** Inside IFLA_LINKINFO. */
    public static final int IFLA_INFO_KIND = 1;
    /** Inside IFLA_LINKINFO: the kind's own attributes. */
    public static final int IFLA_INFO_DATA = 2;
    /** Inside a macvlan's IFLA_INFO_DATA (if_link.h). */
    public static final int IFLA_MACVLAN_MODE = 1;
    public static final int IFLA_OPERSTATE = 16;
    public static final int IFLA_CARRIER = 33;
    public static final int IFF_UP = 0x1;
    public static final int IFF_RUNNING = 0x40;
    public static final int IF_OPER_UP = 6;
    public static final int IF_OPER_UNKNOWN = 0;
    /** Group bit for bind(): RTMGRP_LINK. */
    public static final int RTMGRP_LINK = 0x1;
    /** Group bits for bind(): RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR. */
    public static final int GROUPS_LINK_AND_ADDR = RTMGRP_LINK | 0x10 | 0x100;
    /** sizeof(struct ifinfomsg). */
    public static final int IFINFOMSG = 16;
    /** sizeof(struct ifaddrmsg). */
    public static final int IFADDRMSG = 8;

    private Rtnl() {
    }
}
