package io.vipkeeper.appliance.nftables;

/**
 * Where direct routing sends a backend's frames: the interface of the directly connected network
 * it is on, that interface's own MAC (the frame's new source, so the switch keeps learning the
 * client's MAC on the client's port) and the backend's MAC from the neighbour table (the new
 * destination). MACs as nft writes them ({@code 02:00:5e:00:01:0a}).
 */
record DsrHop(String device, String localMac, String mac) {
}
