/**
 * The nftables engine: NAT load balancing of TCP, UDP and SCTP services, firewall-mark services
 * and services on a list of ports, IPv4 and IPv6,
 * with the rr, wrr, sh and mh schedulers (sh-port and mh-port flags), programmed through
 * libnftables ({@link io.vipkeeper.appliance.nftables.NftContext}, jnr-ffi, no process per change)
 * in one table of its own, {@code inet vipkeeper_lb}; it never touches another table (the SNAT
 * table {@code inet vipkeeper} included).
 *
 * <p>It DNATs only: replies must come back through the balancer by routing (the backends' route
 * to the clients goes through it), or, for services with {@code snat = true}, by the masquerade
 * rules pool/SnatRules writes into {@code inet vipkeeper} for every engine (they match the
 * backends' address and port, which is what nft's DNAT leaves as IPVS does). Masquerading every
 * DNATed connection here would hide the client's address from the backends of all services.
 *
 * <p>Layout, with a constant rule count per service:
 * <ul>
 * <li>{@code prerouting} (nat, dstnat): {@code ip daddr . meta l4proto . th dport vmap @services4}
 * and the same for ip6: one lookup finds the service's chain. Before it {@code meta nfproto ipv4
 * meta mark vmap @marks4} finds a firewall-mark service's chain {@code svc_fwm4_<mark>} (the
 * operator's rule sets the mark at priority mangle; IPVS too looks a mark up first); after it
 * {@code ... vmap @ports4}, an interval map, finds a multiport service's chain {@code
 * svc_<proto>_<address hex>_p80_443_8000to8100} (a long list: {@code _l<crc32>}) from any of its
 * ranges ({@link io.vipkeeper.appliance.nftables.NftPorts}). A mark service's rule matches {@code
 * meta l4proto { tcp, udp, sctp }}; its maps name the port {@code th dport}, which nft 1.0.6 reads
 * back wrongly from the kernel, so its slot map is recreated with every rewrite.</li>
 * <li>{@code svc_<proto>_<address hex>_<port>}: one rule, {@code counter name "..._c" dnat to <selector> map
 * @..._m}, whose comment carries the service spec (scheduler, flags, timeout, netmask). The
 * service's connections are counted in the named counter {@code ..._c}, an object of the table
 * that outlives the rewrites of its rule (an anonymous counter in the rule went back to 0 at
 * every weight change, and /metrics exports it as a counter, which must never go back); it goes
 * with its service. The
 * selector is {@code numgen inc mod N} (rr), {@code numgen random mod N} (wrr, weighted random) or
 * {@code jhash ip saddr mod N seed S} (sh, mh; {@code ip saddr . th sport} with sh-port or
 * mh-port), S a CRC32 of the service's identity so every director and every rewrite hashes a client
 * alike, or {@code symhash mod N} (symhash: the kernel's symmetric flow hash, the same for both
 * directions of a flow; it takes no seed, the kernel's is random per boot, so two directors hash a
 * flow differently: not for flows that move between directors). With no backend above weight 0
 * the rule only counts.</li>
 * <li>{@code ..._m}: the slots, slot : backend address . port, one element each, a plain map
 * changed by difference. rr: one slot per backend above weight 0, in address order; wrr, sh and symhash:
 * the weights over their greatest common divisor, shared out over at most 4096 slots (16 a backend past 256 backends) when they do
 * not reduce that far; mh: the {@link io.vipkeeper.appliance.nftables.MaglevTable} of the
 * backends, so a backend that leaves moves about its own share of the clients (and of the map
 * elements) and one that returns gets them back. No interval maps: nft 1.0.6 loads the elements
 * of every interval map in the table before any change, which made one weight change at 100
 * services cost four times as much; the {@code ..._s} interval map earlier versions wrote is
 * deleted when its service is rewritten.</li>
 * <li>{@code ..._ma} instead for a mark or multiport service whose real servers
 * have no port (port 0, the packet's port kept, as IPVS does): slot : address only. Such real
 * servers, and every real server of a mark service (no VIP to key by), have no counter
 * elements.</li>
 * <li>{@code ..._w}: every backend with its weight (0 included): the backends {@code table()}
 * reports.</li>
 * <li>{@code forward} (filter): per-backend counters, made by the data path. Each packet of a
 * connection DNATed from a VIP and protocol of {@code balanced4} (one element per VIP and
 * protocol of a service, rewritten whole with the verdict maps) updates its element in {@code count_in4} (towards the
 * backend) or {@code count_out4} (back), a connection's first packet also in {@code count_new4},
 * keyed by VIP . protocol . backend address . port (the VIP from conntrack's original tuple, the
 * backend from the packet): dynamic sets with the {@code counter} flag, so {@code update} makes a
 * backend's element with its first packet of that kind and counts it there; an absent element
 * counts 0. None is written up front (the 30,000 of 100 x 100 were more than half of nft's time
 * programming it from empty); a backend that leaves has its elements deleted in the same
 * transaction, and any the data path makes again afterwards (a packet of a flow not cut yet) is
 * deleted as a stray at the next counter refresh. The counts mean what they did when the
 * elements were written up front: connections, packets and bytes per backend, kept across a
 * rewrite. (nft 1.0.6 refuses {@code ct original proto-dst} in a concatenation, so the service's
 * port is not in the key: two services on one VIP and protocol sharing a backend address and port
 * share its counts.) Same for IPv6 with {@code ..6}. The sets earlier versions filled up front,
 * {@code backend_new4} and so on, are deleted by every transaction's skeleton (their counts
 * start again from 0 once).</li>
 * </ul>
 * A change to a service rewrites that service's chain and maps in the transaction (a weight
 * change moves the following backends' slots, written by difference) and its
 * leaving backends' counter elements; the rest of the
 * table is left alone but for the hooked chains' twelve rules, rewritten each time. Reading back,
 * anything of a service that differs from what its spec and weights would write (a flushed slot
 * map, an edited rule, a flushed hook chain, its VIP missing from {@code balanced4}; not a
 * missing counter element, which the data path makes) reports the service's
 * scheduler as drifted, so the shared reconciler plans an edit and the service is rewritten; a
 * deleted table or verdict map entry reads as missing services, which it re-adds.
 *
 * <p>Direct routing ({@code forwarding = dr}, {@link io.vipkeeper.appliance.nftables.NftDsr}) lives in a
 * second table of its own, {@code netdev vipkeeper_dsr}: an ingress chain {@code in_<device>} on
 * each interface that dr backends are reached on, and per dr service a rule there, {@code ip daddr
 * VIP meta l4proto P th dport PORT fib daddr type local ether saddr set <the interface's MAC>
 * ether daddr set jhash ip saddr [. th sport] mod N seed S map @svc_..._d fwd to "<device>"}, with
 * the same slots and seed as the NAT path (sh's weighted slots, mh's Maglev table) mapped to the
 * backends' MACs. The source MAC must be rewritten too: a switch that saw the client's MAC come
 * from the balancer's port would send the backends' answers there. MACs come from the kernel's
 * neighbour table (RTM_GETNEIGH); a backend without one is sent a datagram (the kernel resolves
 * it) and left out until a later run finds it, one not on a directly connected network is left
 * out, each logged once. The service's chain in the inet table stays, without a dnat, its comment
 * marked {@code fwd=dr}, so its spec and backends read back as for NAT. The netdev table is
 * derived (services plus MACs of the moment), written whole when it would change and compared
 * whole with what was read back after writing it: a changed or newly known MAC, or any hand
 * edit, reads as drift of the dr services, and their rewrite puts the table back. An empty set
 * {@code written} stamps the table with a digest of the script that wrote it, so an engine that
 * did not write it (a restarted daemon, {@code vipkeeper nftables list}) adopts a table that says
 * what it would write instead of reading it as out of date. With no
 * conntrack in ingress only sh and mh keep a connection on one backend (rr and wrr are refused),
 * and drain means nothing: a backend that leaves the map loses its connections at once; mh keeps
 * the other backends' clients in place, sh rehashes them. Clients' frames must arrive on the
 * backends' interface. The whole rewrite is the simple path, not the cheap one: 40 mh dr services
 * (8191 slots each) take about 3 s to write and 3.5 s to list on this lab's host, so the table is
 * listed only when the ruleset generation moved. IPv6 services alike: {@code ip6 daddr}, {@code jhash
 * ip6 saddr}, MACs from the IPv6 neighbour table. Not done: mh slots changed by difference for dr,
 * per-backend counters for dr, tunnel mode.
 *
 * <p>Stateless NAT of UDP ({@code forwarding = stateless-nat}, {@link
 * io.vipkeeper.appliance.nftables.NftStateless}) shares that netdev table and its whole-table
 * rewrite and drift check: per service an ingress rule on the VIP's interface rewrites {@code ip
 * daddr} (and {@code udp dport}) from a hash of the client over the NAT path's slots and sends
 * the datagram on with {@code fwd ip to}, and one on the backends' interface rewrites their
 * replies' source back to VIP:port; no conntrack at all, so nothing to drain and no per-backend
 * counters. IPv6 services alike ({@code ip6 daddr set}, {@code fwd ip6 to}), the interfaces'
 * networks of both families read over rtnetlink ({@link io.vipkeeper.appliance.nftables.LinkNetworks},
 * shared with dr) and the main routing table's IPv6 default gateway too ({@link
 * io.vipkeeper.appliance.nftables.DefaultRoutes6}; {@code ipv6_route} lists every table's routes). Its chain in the inet table stays without a dnat, its comment marked {@code
 * fwd=stateless-nat}.
 *
 * <p>Persistence: a persistent service's chain has a lookup rule first, {@code dnat ip to ip
 * saddr & MASK map @..._p}, and the base chain {@code persist} (filter, prerouting, dstnat + 10)
 * records each new DNATed connection's backend there with the timeout ({@link
 * io.vipkeeper.appliance.nftables.NftPersistence}); a backend leaving the live set has its
 * elements deleted in the same transaction. IPv6 records the backend's address only ({@code dnat
 * ip6 to ip6 saddr & MASK map @..._p : PORT}: nft 1.0.6 aborts on an IPv6 address . port value), so
 * its live real servers share one port; draining ones may stay on the port a reload moved the pool
 * away from.
 *
 * <p>Established connections are conntrack's: a backend leaving the slot map takes no new
 * connections but keeps its flows, which are counted as its active connections (a ctnetlink dump,
 * {@link io.vipkeeper.appliance.nftables.Conntrack}; made when the table is read whole, at every
 * run while a backend is at weight 0, and at a run for a reload, health change or order, so the
 * drain that run starts logs the count it starts with) so the shared drain waits for them, and cut
 * (their entries deleted) when the backend is deleted ({@link
 * io.vipkeeper.appliance.nftables.NftFlows}); its other flows (handshakes, closes, TIME_WAIT, UDP)
 * are its inactive ones.
 *
 * <p>Connection thresholds ({@link io.vipkeeper.appliance.nftables.NftOverload}, NAT of address and
 * port services): a backend at its upper threshold (active plus inactive) leaves its service's
 * slots, keeping its weight ({@code _w}), flows and persistence records, until it falls below the
 * lower one; judged at each run on the conntrack counts. The thresholds are kept in {@code ..._t}
 * (backend : upper . lower), the overload in the slot map (a backend with a threshold and weight
 * but no slot reads back as overloaded).
 *
 * <p>Not yet: other schedulers, IPv6 persistence over several ports, persistence of mark, multiport or dr
 * services, port 0 services, the fallback scheduler flags, TUN forwarding, a mark or multiport
 * service whose real servers mix a port with none, connection thresholds of dr, stateless-nat,
 * mark and multiport services ({@link
 * io.vipkeeper.appliance.nftables.NftablesDataPlane#capabilities()} says so). Services that the
 * local host itself opens connections to are not balanced (no output hook).
 */
package io.vipkeeper.appliance.nftables;
