/**
 * The IPVS data plane engine: IpvsKernel (the DataPlane interface plus the connection sync
 * daemons), and the ipvsadm-style listing and JSON of its table. Maps the neutral model to IPVS;
 * decides no policy. May depend on dataplane (and its genl subpackage on the VRRP library's
 * netlink); config, health and api must not depend on it.
 */
package io.vipkeeper.appliance.ipvs;
