/**
 * Reads, validates and holds the configuration: HOCON with reference.conf defaults into immutable
 * records (Settings, VirtualServer, RealServer, ...), every problem reported as FILE:LINE. It
 * describes virtual servers in the neutral data-plane model, so it may depend on dataplane and
 * the root package (and the VRRP library's protocol types), never on an engine package (ipvs,
 * ipvs.genl, a future nftables): a config reads the same whichever engine runs it.
 */
package io.vipkeeper.appliance.config;
