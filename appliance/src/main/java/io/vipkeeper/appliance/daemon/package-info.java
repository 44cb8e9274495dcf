/**
 * The running daemon: start, reload, stop, signals, the PID file, systemd notification, dump
 * files. It wires the other packages together (config, vrrp, health, pool, the IPVS engine, api)
 * and feeds the API through StatusInputs; only cli depends on it.
 */
package io.vipkeeper.appliance.daemon;
