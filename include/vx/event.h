/* SPDX-License-Identifier: MIT */
/*
 * The one event stream. Everything architecturally visible that the model or
 * the hypervisor core does is described by one struct hv_event. The platform
 * stamps each event with the processor and the cycle; tracing, replay,
 * debugging output and benchmarks listen in one place.
 *
 * The words v[] of each type are listed below; traces/ turns an event into a
 * record of the trace format (docs/traces.md), whose field names follow
 * KVM's trace events. The source says who saw the event, which decides
 * whether a hardware run can see it too (enum hv_event_source).
 *
 * Who may include it: everyone.
 */
#ifndef VX_EVENT_H
#define VX_EVENT_H

#include <stdint.h>

enum hv_event_type {
	/* VMRUN: v0 guest rip, v1 vmcb pa, v2 int_ctl, v3 event_inj,
	 * v4 event_inj_err, v5 nested_ctl, v6 tlb_ctl, v7 guest_asid */
	HV_EV_VMRUN = 1,
	/* #VMEXIT: v0 exit_code, v1 guest rip, v2 exit_info_1, v3 exit_info_2,
	 * v4 exit_int_info, v5 exit_int_info_err, v6 next_rip */
	HV_EV_VMEXIT = 2,
	/* The core asks for an event (EVENTINJ written): v0 event_inj, v1 error code */
	HV_EV_INJECT = 3,
	/* An event vectored through the guest IDT: v0 vector, v1 kind
	 * (enum emu_event_kind), v2 error code */
	HV_EV_DELIVER = 4,
	HV_EV_IPI = 5,         /* v0 destination, v1 icr low */
	HV_EV_TIMER = 6,       /* APIC timer expiry: v0 LVT timer, v1 due cycle */
	HV_EV_GHCB = 7,        /* reserved for SEV-ES */
	HV_EV_MP_STATE = 8,    /* v0 vcpu id, v1 new mp_state, v2 old mp_state */
	/* A scenario check: v0 1 pass / 0 fail, v1 got, v2 want, v3 bit 1 set
	 * when v1 holds a value, bit 2 when v2 does; text = what was checked */
	HV_EV_CHECK = 9,
	HV_EV_SHUTDOWN = 10,   /* v0 cause */
	HV_EV_INIT = 11,       /* v0 what it did (enum hv_init_outcome) */
	HV_EV_SIPI = 12,       /* v0 vector, v1 1 started / 0 ignored / 2 VM exit */
	/* The intercepts a VMRUN starts the guest with, right after HV_EV_VMRUN:
	 * v0 cr_read, v1 cr_write, v2 dr_read, v3 dr_write, v4 exceptions,
	 * v5 intercept word 3, v6 intercept word 4, v7 intercept word 5 */
	HV_EV_VMRUN_INTERCEPTS = 13,
	/* The guest code at an exit's RIP: v0 linear address of the first byte,
	 * v1 bits 7:0 bytes before the exit's RIP, bits 15:8 bytes recorded,
	 * bits 23:16 the code's operand size (16, 32 or 64);
	 * v2..v7 the bytes, little-endian (at most 48) */
	HV_EV_GUEST_CODE = 14,
	/* The processor took the VMCB's EVENTINJ at VMRUN: v0 event_inj, v1 error */
	HV_EV_EVENTINJ = 15,
	HV_EV_HOST_IRQ = 16,   /* an interrupt taken in host mode: v0 vector */
	HV_EV_HOST_NMI = 17,   /* an NMI taken in host mode */
	/* An interrupt accepted into a local APIC's IRR, or NMI/INIT/SIPI
	 * latched: v0 apic id, v1 delivery mode, v2 trigger mode, v3 vector */
	HV_EV_APIC_ACCEPT = 18,
	HV_EV_INJECT_VNMI = 19, /* the core sets int_ctl V_NMI (APM vol. 2 §15.21.10) */
	/* A consistency check failed — VMRUN's (VMEXIT_INVALID follows; v0
	 * enum svm_vmrun_check) or VM entry's (v0 enum vmx_entry_check, v1 1);
	 * text = the rule's identifier */
	HV_EV_CONSISTENCY = 20,
	/* VMLAUNCH or VMRESUME of the current VMCS: v0 guest rip, v1 VMCS pa,
	 * v2 pin-based, v3 primary, v4 secondary processor-based controls,
	 * v5 VM-entry interruption information, v6 its error code, v7 1 for
	 * VMRESUME */
	HV_EV_VMENTRY = 21,
	/* A VM exit: v0 exit reason, v1 guest rip, v2 exit qualification,
	 * v3 guest-physical address (EPT exits; else 0), v4 VM-exit
	 * interruption information, v5 its error code, v6 IDT-vectoring
	 * information, v7 instruction length (where defined; else 0) */
	HV_EV_VMX_EXIT = 22,
	HV_EV_TYPE_COUNT
};

#define HV_EVENT_WORDS 8

/*
 * Who reported the event. The hardware image reports only what it can see
 * from the hypervisor's side: the core's and the scenario's events and the
 * world switches at the seam; the model also reports what happens inside the
 * processors.
 */
enum hv_event_source {
	HV_SRC_MODEL = 0,    /* inside a model processor (the model alone) */
	HV_SRC_SEAM = 1,     /* at arch.h: VMRUN and its #VMEXIT, IPIs sent */
	HV_SRC_CORE = 2,     /* the hypervisor core */
	HV_SRC_SCENARIO = 3, /* a conformance scenario */
};

/* What an INIT did to the processor that took it. */
enum hv_init_outcome {
	HV_INIT_WAIT_FOR_SIPI = 0, /* reset; waits for a start-up IPI */
	HV_INIT_VMEXIT = 1,        /* #VMEXIT(INIT) from guest mode; no reset */
};

struct hv_event {
	uint64_t cycle; /* stamped by the platform */
	uint32_t cpu;   /* stamped by the platform */
	uint16_t type;  /* enum hv_event_type */
	uint8_t source; /* enum hv_event_source */
	uint8_t pad;
	uint64_t v[HV_EVENT_WORDS];
	const char *text;
};

#endif
