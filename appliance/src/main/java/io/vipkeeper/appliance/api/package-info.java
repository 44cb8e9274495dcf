/**
 * The HTTP status API, the status page, /metrics and the status snapshot that the CLI and dump
 * files print. It reads the running daemon through StatusInputs only, so it may depend on config,
 * health, dataplane (the neutral model and DataPlaneStatus) and the VRRP library's read-only
 * state, never on the daemon or on an engine package.
 */
package io.vipkeeper.appliance.api;
