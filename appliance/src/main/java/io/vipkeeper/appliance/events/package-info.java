/**
 * The daemon's live event stream: what happened (VRRP transitions, health changes, runtime backend
 * orders, reloads, data-plane problems, start and stop) as small JSON objects on a bounded bus
 * that {@code GET /events} serves as server-sent events and {@code vipkeeper events} prints.
 * Depends on nothing of the appliance but the VRRP library's transition record, so the daemon,
 * the API and the CLI may all use it.
 */
package io.vipkeeper.appliance.events;
