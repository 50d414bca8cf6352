/* SPDX-License-Identifier: MIT */
/*
 * Virtual CPUs and the run loop.
 *
 * hv_vcpu_run enters the guest repeatedly, handling inside the core what KVM
 * handles in the kernel (NMI tracking through the IRET intercept, the NMI
 * window, re-injection of events a #VMEXIT interrupted, physical NMI/INTR
 * exits, CPUID), and returns to the caller with a KVM-like exit: a hypercall,
 * port I/O, HLT, shutdown, a failed entry, an exception, or an internal
 * error carrying the raw exit code.
 *
 * Who may include it: hv/, conformance/, cli/, hw/.
 */
#ifndef HV_VCPU_H
#define HV_VCPU_H

#include <stdbool.h>
#include <stdint.h>

#include "vx/arch.h"
#include "hv/ops.h"
#include "hv/vlapic.h"
#include "x86/vmcb.h"

struct hv_guest;
struct hv_vm;

/* KVM_MP_STATE_* values (include/uapi/linux/kvm.h). */
enum hv_mp_state {
	HV_MP_STATE_RUNNABLE = 0,
	HV_MP_STATE_UNINITIALIZED = 1,
	HV_MP_STATE_INIT_RECEIVED = 2,
	HV_MP_STATE_HALTED = 3,
	HV_MP_STATE_SIPI_RECEIVED = 4,
	HV_MP_STATE_AP_RESET_HOLD = 9,
};

/* Exit reasons, numbered as KVM_EXIT_* so that traces line up. */
enum hv_exit_reason {
	HV_EXIT_UNKNOWN = 0,
	HV_EXIT_EXCEPTION = 1,
	HV_EXIT_IO = 2,
	HV_EXIT_HYPERCALL = 3,
	HV_EXIT_HLT = 5,
	HV_EXIT_SHUTDOWN = 8,
	HV_EXIT_FAIL_ENTRY = 9,
	/* KVM_EXIT_INTR: the run was stopped from outside (hv_vm_stop). */
	HV_EXIT_INTR = 10,
	HV_EXIT_INTERNAL_ERROR = 17,
};

/* HV_EXIT_INTERNAL_ERROR sub-reasons. */
enum hv_internal_error {
	HV_INTERNAL_UNEXPECTED_EXIT = 1, /* an exit code the core does not handle */
	HV_INTERNAL_ENTRY_FAULT = 2,     /* VMRUN itself faulted (fault in .fault) */
	HV_INTERNAL_LOOP = 3,            /* too many consecutive internal exits */
	HV_INTERNAL_EMULATION = 4,       /* a guest access the core cannot emulate (hv/vlapic.h) */
};

/* Where an HV_EXIT_EXCEPTION came from. */
enum hv_exception_source {
	HV_EXC_GUEST_STUB = 0, /* the guest's default IDT stub ran (hv/guest.h) */
	HV_EXC_INTERCEPT = 1,  /* an intercepted exception (exception bitmap) */
};

struct hv_exit {
	uint32_t reason; /* enum hv_exit_reason */
	/* The raw #VMEXIT, whatever the reason. */
	uint64_t exit_code, exit_info_1, exit_info_2;
	uint32_t exit_int_info, exit_int_info_err;
	union {
		struct {
			uint64_t nr; /* RAX */
			uint64_t args[4]; /* RBX, RCX, RDX, RSI */
		} hypercall;
		struct {
			uint16_t port;
			uint8_t size; /* 1, 2 or 4 */
			bool in;
			bool string, rep;
			uint32_t data; /* OUT: the value written */
		} io;
		struct {
			uint32_t source; /* enum hv_exception_source */
			uint8_t vector;
			uint32_t error_code;
			uint64_t rip; /* where the exception was raised */
		} exception;
		struct {
			uint64_t hardware_entry_failure_reason; /* exit_code (VMEXIT_INVALID) */
		} fail_entry;
		struct {
			uint32_t suberror; /* enum hv_internal_error */
			arch_fault_t fault;
			/* HV_INTERNAL_EMULATION: the address and the bytes found at CS:RIP. */
			uint64_t gpa;
			uint8_t insn_len;
			uint8_t insn[15];
		} internal;
	};
};

struct hv_vcpu_config {
	uint32_t id;
	/*
	 * Use vNMI when the processor has it (CPUID Fn8000_000A EDX[25]); like
	 * KVM's "vnmi" module parameter. False exercises EVENTINJ + IRET
	 * tracking on any processor.
	 */
	bool use_vnmi;
	uint32_t asid; /* 0: ASID 1 */
	/* NULL: hv_backend_probe() */
	const struct hv_vcpu_ops *ops;
};

/* SVM backend state (hv/src/svm). */
struct hv_svm_vcpu {
	bool nrips;                     /* CPUID Fn8000_000A EDX[3] */
	bool decode_assists;            /* CPUID Fn8000_000A EDX[7] */
	bool vnmi;                      /* V_NMI_ENABLE in use */
	bool nmi_masked;                /* software NMI blocking without vNMI */
	bool awaiting_iret_completion;  /* IRET intercepted, not yet retired */
	uint64_t nmi_iret_rip;          /* RIP of that IRET */
	bool nmi_singlestep;            /* TF set by the core to find the window */
	uint64_t nmi_singlestep_guest_rflags;
	uint64_t nmi_singlestep_guest_dr6;
	bool own_db_intercept;          /* #DB intercept set only for single-step */
};

struct hv_vcpu_stats {
	uint64_t entries;
	uint64_t exits;
	uint64_t nmi_injections;   /* EVENTINJ NMIs and V_NMI sets */
	uint64_t nmis_dropped;     /* beyond one in service plus one pending */
	uint64_t iret_exits;
	uint64_t nmi_window_singlesteps;
};

struct hv_vcpu {
	uint32_t id;
	uint32_t mp_state; /* enum hv_mp_state */
	const struct hv_vcpu_ops *ops;
	const struct hv_guest *guest;
	struct hv_vcpu_config config;
	/* SVM: the VMCB, as a pointer for the core and a physical address for VMRUN. */
	struct vmcb *vmcb;
	uint64_t vmcb_pa;
	struct arch_gprs gprs;
	/* NMIs, as KVM counts them (vendor-neutral). */
	struct {
		uint32_t queued;   /* hv_vcpu_queue_nmi calls not yet processed */
		uint32_t pending;  /* accepted, waiting in software */
		bool injected;     /* being injected or re-injected */
	} nmi;
	/* An interrupted event to re-inject (EXITINTINFO), other than an NMI. */
	struct {
		bool valid;
		uint32_t info, error_code;
	} reinject;
	uint32_t last_event_inj;   /* the last EVENTINJ value the core wrote */
	uint32_t internal_exits;   /* consecutive, for the loop guard */
	struct hv_svm_vcpu svm;
	struct hv_vcpu_stats stats;
	/* An exception the core raises in the guest (#GP from the virtual APIC). */
	struct {
		bool valid;
		uint32_t info, error_code;
	} exception;
	/* The VM this vCPU belongs to (hv/vm.h), or NULL for a standalone vCPU. */
	struct hv_vm *vm;
	struct hv_vlapic apic;
	/*
	 * What other processors send this vCPU (hv/src/core/mp.c). Written with
	 * __atomic builtins by senders, taken by the vCPU's own processor
	 * before every entry and while it waits.
	 */
	struct {
		uint32_t events;      /* HV_MP_EVENT_* */
		uint32_t sipi_vector; /* of the latest SIPI */
		uint32_t nmis;        /* NMI IPIs not yet queued */
		uint32_t posts;       /* bumped after every send (the entry's last look) */
	} mailbox;
	/*
	 * Kicks (hv/src/core/mp.c): set by the vCPU's processor from just
	 * before its last look at the mailbox until the #VMEXIT; a sender that
	 * sees it sends a physical IPI to host_apic_id, the APIC ID of the
	 * processor that runs the vCPU.
	 */
	uint32_t in_guest;
	uint32_t host_apic_id;
};

/* Bits of hv_vcpu.mailbox.events. */
#define HV_MP_EVENT_INIT 1u
#define HV_MP_EVENT_SIPI 2u

/* Consecutive internal exits after which hv_vcpu_run gives up (HV_INTERNAL_LOOP). */
#define HV_VCPU_MAX_INTERNAL_EXITS 100000u

/*
 * Creates a vCPU for a guest built by hv_guest_build: allocates its VMCB and
 * lets the backend initialise it. SVM must be enabled on this processor
 * (hv_svm_enable). Returns HV_OK, HV_ENOSVM, HV_ENOMEM.
 */
int hv_vcpu_create(struct hv_vcpu *vcpu, const struct hv_vcpu_config *cfg,
		   const struct hv_guest *guest);

/* Runs the guest until an exit the caller must see. Returns HV_OK or HV_EINVAL. */
int hv_vcpu_run(struct hv_vcpu *vcpu, struct hv_exit *exit);

/* One bare world switch, with no event processing: for "tiny hypervisor" scenarios. */
arch_fault_t hv_vcpu_enter(struct hv_vcpu *vcpu);

/* Queues an NMI, as KVM_NMI does. */
void hv_vcpu_queue_nmi(struct hv_vcpu *vcpu);
bool hv_vcpu_get_nmi_mask(struct hv_vcpu *vcpu);
void hv_vcpu_set_nmi_mask(struct hv_vcpu *vcpu, bool masked);
/* For an IN exit: the value the port returned, merged into RAX by size. */
void hv_vcpu_complete_io_in(struct hv_vcpu *vcpu, const struct hv_exit *exit, uint32_t data);
/* SIPI: HV_ENOTSUP when the backend has no deliver_sipi_vector. */
int hv_vcpu_deliver_sipi(struct hv_vcpu *vcpu, uint8_t vector);

/*
 * The MP state, as KVM_GET_MP_STATE / KVM_SET_MP_STATE. Any processor may
 * read it; set it from the processor that runs the vCPU, or while its VM
 * is not running. Every change emits HV_EV_MP_STATE (a = vCPU id, b = the
 * new state). Setting a state the core does not implement (SIPI_RECEIVED,
 * AP_RESET_HOLD, anything above) gives HV_EINVAL.
 */
uint32_t hv_vcpu_get_mp_state(const struct hv_vcpu *vcpu);
int hv_vcpu_set_mp_state(struct hv_vcpu *vcpu, uint32_t mp_state);

/* Name of an hv_exit_reason: "HYPERCALL", "HLT"... */
const char *hv_exit_reason_name(uint32_t reason);

#endif
