package io.vipkeeper.appliance.pool;

import io.vipkeeper.appliance.ipvs.DestKey;
import io.vipkeeper.appliance.ipvs.DestSpec;
import io.vipkeeper.appliance.ipvs.ServiceKey;
import io.vipkeeper.appliance.ipvs.ServiceSpec;

/** One change to the kernel's IPVS table, as the reconciler plans it and logs it. */
public sealed interface IpvsOp {
    /** Why, for the log line of the repair. */
    String reason();

    /** IPVS_CMD_NEW_SERVICE. */
    record NewService(ServiceSpec spec, String reason) implements IpvsOp {
    }

    /** IPVS_CMD_SET_SERVICE. */
    record SetService(ServiceSpec spec, String reason) implements IpvsOp {
    }

    /** IPVS_CMD_DEL_SERVICE. */
    record DelService(ServiceKey key, String reason) implements IpvsOp {
    }

    /** IPVS_CMD_NEW_DEST. */
    record NewDest(ServiceKey service, DestSpec dest, String reason) implements IpvsOp {
    }

    /** IPVS_CMD_SET_DEST. */
    record SetDest(ServiceKey service, DestSpec dest, String reason) implements IpvsOp {
    }

    /** IPVS_CMD_DEL_DEST. */
    record DelDest(ServiceKey service, DestKey dest, String reason) implements IpvsOp {
    }
}
