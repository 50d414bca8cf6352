/* SPDX-License-Identifier: MIT */
/*
 * Private to the core: what it does with an exit once the backend decoded
 * it (ops->decode_exit), by kind (enum hv_exit_kind, hv/vcpu.h).
 */
#ifndef HV_SRC_CORE_EXIT_H
#define HV_SRC_CORE_EXIT_H

#include "hv/vcpu.h"

/*
 * After a world switch: 1 when the exit was handled inside the core (or
 * the backend) and the guest runs again; 0 when *exit is for the caller.
 */
int hv_handle_exit(struct hv_vcpu *vcpu, struct hv_exit *exit);

#endif
