/* SPDX-License-Identifier: MIT */
/*
 * The one event stream. Everything architecturally visible that the model or
 * the hypervisor core does is described by one struct hv_event. The platform
 * stamps each event with the processor and the cycle; tracing, replay,
 * debugging output and benchmarks listen in one place.
 *
 * Who may include it: everyone.
 */
#ifndef HV_EVENT_H
#define HV_EVENT_H

#include <stdint.h>

enum hv_event_type {
	HV_EV_VMRUN = 1,       /* a = vmcb pa, b = guest rip */
	HV_EV_VMEXIT = 2,      /* a = exit_code, b = exit_info_1, c = exit_info_2, d = exit_int_info */
	HV_EV_INJECT = 3,      /* a = event_inj (or int_ctl bits for vNMI), b = error code */
	HV_EV_DELIVER = 4,     /* an event vectored through the guest IDT: a = vector, b = type */
	HV_EV_IPI = 5,         /* a = destination, b = icr low */
	HV_EV_TIMER = 6,
	HV_EV_GHCB = 7,
	HV_EV_MP_STATE = 8,    /* a = vcpu id, b = new mp_state */
	HV_EV_CHECK = 9,       /* a = 1 pass / 0 fail; text = check name */
	HV_EV_SHUTDOWN = 10,   /* a = cause */
	HV_EV_INIT = 11,       /* a = what it did (enum hv_init_outcome) */
	HV_EV_SIPI = 12,       /* a = vector, b = 1 started / 0 ignored */
};

/* What an INIT did to the processor that took it. */
enum hv_init_outcome {
	HV_INIT_WAIT_FOR_SIPI = 0, /* reset; waits for a start-up IPI */
	HV_INIT_VMEXIT = 1,        /* #VMEXIT(INIT) from guest mode; no reset */
};

struct hv_event {
	uint64_t cycle; /* stamped by the platform */
	uint32_t cpu;   /* stamped by the platform */
	uint32_t type;  /* enum hv_event_type */
	uint64_t a, b, c, d;
	const char *text;
};

#endif
