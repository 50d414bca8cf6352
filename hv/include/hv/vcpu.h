/* SPDX-License-Identifier: MIT */
/*
 * Virtual CPUs and the run loop.
 *
 * hv_vcpu_run enters the guest repeatedly, handling inside the core what KVM
 * handles in the kernel (NMI tracking, the NMI window, re-injection of
 * events an exit interrupted, physical NMI/INTR exits, CPUID), and returns
 * to the caller with a KVM-like exit: a hypercall, port I/O, HLT, shutdown,
 * a failed entry, an exception, or an internal error.
 *
 * Everything here is vendor-neutral. The backend (hv/ops.h, hv/backend.h)
 * decodes each exit into a struct hv_exit: the kind the core dispatches on,
 * what it decoded for that kind, and the vendor's own words in exit.raw;
 * the core describes events to inject as struct hv_vcpu_event, which the
 * backend turns into its own format. A vCPU's backend state (for SVM its
 * VMCB) is the backend's: SVM callers reach it through hv/svm.h.
 *
 * Who may include it: hv/, conformance/, cli/, hw/.
 */
#ifndef HV_VCPU_H
#define HV_VCPU_H

#include <stdbool.h>
#include <stdint.h>

#include "vx/arch.h"
#include "hv/backend.h"
#include "hv/ops.h"
#include "hv/vlapic.h"

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
	HV_INTERNAL_UNEXPECTED_EXIT = 1, /* an exit the core does not handle (exit.raw says which) */
	HV_INTERNAL_ENTRY_FAULT = 2,     /* the world switch itself faulted (fault in .fault) */
	HV_INTERNAL_LOOP = 3,            /* too many consecutive internal exits */
	HV_INTERNAL_EMULATION = 4,       /* a guest access the core cannot emulate (hv/vlapic.h) */
};

/* Where an HV_EXIT_EXCEPTION came from. */
enum hv_exception_source {
	HV_EXC_GUEST_STUB = 0, /* the guest's default IDT stub ran (hv/guest.h) */
	HV_EXC_INTERCEPT = 1,  /* an intercepted exception (exception bitmap) */
};

/*
 * What the processor exited for, in the core's words: the backend decodes
 * its own exit into one of these (ops->decode_exit) and the core
 * dispatches on it, never on a vendor's exit code.
 */
enum hv_exit_kind {
	HV_EXIT_KIND_OTHER = 0,        /* none of the below: only exit.raw says what */
	HV_EXIT_KIND_ENTRY_FAILED,     /* the entry's checks refused the guest (SVM VMEXIT_INVALID,
					  VMX VM-entry failure) */
	HV_EXIT_KIND_EXCEPTION,        /* an intercepted exception: info.exception */
	HV_EXIT_KIND_NMI,              /* a physical NMI */
	HV_EXIT_KIND_INTR,             /* a physical interrupt */
	HV_EXIT_KIND_INIT,             /* an INIT signal (SVM: the INIT intercept) */
	HV_EXIT_KIND_SIPI,             /* a SIPI in wait-for-SIPI (VMX): info.sipi */
	HV_EXIT_KIND_HYPERCALL,        /* VMMCALL, VMCALL */
	HV_EXIT_KIND_HLT,
	HV_EXIT_KIND_PAUSE,
	HV_EXIT_KIND_CPUID,
	HV_EXIT_KIND_MSR,              /* RDMSR/WRMSR of the MSR in ECX: info.msr */
	HV_EXIT_KIND_IO,               /* IN/OUT/INS/OUTS: info.io */
	HV_EXIT_KIND_GPA_FAULT,        /* a second-level fault (SVM #NPF, VMX EPT violation):
					  info.gpa_fault */
	HV_EXIT_KIND_SHUTDOWN,         /* a triple fault */
	HV_EXIT_KIND_TIMER,            /* the guest timer (ops->set_timer; VMX: preemption timer) */
};

/* Bits of hv_exit.info.gpa_fault.access. */
#define HV_GPA_WRITE 1u  /* a store */
#define HV_GPA_FETCH 2u  /* an instruction fetch */
#define HV_GPA_TABLE 4u  /* the guest's own page-table walk, not the final address */
#define HV_GPA_EVENT 8u  /* while an event was being delivered */

/*
 * The exit word for word, as the backend's processor reported it. The core
 * never reads it; it is there for callers and messages that know the
 * vendor, whatever the reason the caller is given:
 *
 *   SVM  reason = EXITCODE, info1 = EXITINFO1, info2 = EXITINFO2,
 *        int_info = EXITINTINFO, int_info_err = its error code
 *        (APM vol. 2 §15.6, §15.7.2, appendix C)
 *   VMX  reason = the exit reason, info1 = the exit qualification,
 *        info2 = the guest-physical address, int_info = the IDT-vectoring
 *        information, int_info_err = its error code (SDM vol. 3 §27.2)
 */
struct hv_exit_raw {
	uint64_t reason;
	uint64_t info1, info2;
	uint32_t int_info, int_info_err;
};

/* What the backend decoded for the core, by kind (hv_exit.kind). */
struct hv_exit_info {
	/* HYPERCALL, HLT, PAUSE, CPUID, MSR, IO: the instruction's length. */
	uint32_t insn_len;
	union {
		struct {
			uint8_t vector;
			/* as the processor reported it (SVM: EXITINFO1, whatever the vector) */
			uint32_t error_code;
		} exception;
		struct {
			bool write;          /* WRMSR */
		} msr;
		struct {
			uint16_t port;
			uint8_t size;        /* 1, 2 or 4 */
			bool in, string, rep;
		} io;
		struct {
			uint64_t gpa;
			uint32_t access;     /* HV_GPA_* */
		} gpa_fault;
		struct {
			uint8_t vector;      /* SIPI: the start-up vector */
		} sipi;
	};
};

struct hv_exit {
	uint32_t reason; /* enum hv_exit_reason: what the caller is told */
	uint32_t kind;   /* enum hv_exit_kind: what the processor exited for */
	struct hv_exit_raw raw;
	struct hv_exit_info info;
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
			/* raw.reason (SVM: VMEXIT_INVALID) */
			uint64_t hardware_entry_failure_reason;
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

/* Types of an event to inject, numbered as the SDM's interruption types. */
enum hv_vcpu_event_type {
	HV_INJ_EXT_INTR = 0,            /* an external (maskable) interrupt */
	HV_INJ_NMI = 2,
	HV_INJ_EXCEPTION = 3,           /* a hardware exception */
	HV_INJ_SOFT_INTR = 4,           /* INTn */
	HV_INJ_PRIV_SOFT_EXCEPTION = 5, /* INT1 (VMX only) */
	HV_INJ_SOFT_EXCEPTION = 6,      /* INT3, INTO (VMX only) */
	HV_INJ_OTHER = 7,               /* other events (VMX only) */
};

/*
 * An event for the next entry, as the core describes it; the backend turns
 * it into its own format (SVM: EVENTINJ, APM vol. 2 §15.20). error_code is
 * pushed only with has_error_code, and handed to the backend as it is
 * either way.
 */
struct hv_vcpu_event {
	uint8_t type;   /* enum hv_vcpu_event_type */
	uint8_t vector; /* ignored for NMI */
	bool has_error_code;
	uint32_t error_code;
};

/* General-purpose registers, in instruction-encoding order (hv_vcpu_get_gpr). */
enum hv_gpr {
	HV_GPR_RAX, HV_GPR_RCX, HV_GPR_RDX, HV_GPR_RBX, HV_GPR_RSP, HV_GPR_RBP, HV_GPR_RSI,
	HV_GPR_RDI, HV_GPR_R8, HV_GPR_R9, HV_GPR_R10, HV_GPR_R11, HV_GPR_R12, HV_GPR_R13,
	HV_GPR_R14, HV_GPR_R15,
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

struct hv_vcpu_stats {
	uint64_t entries;
	uint64_t exits;
	uint64_t nmi_injections;   /* EVENTINJ NMIs and V_NMI sets */
	uint64_t nmis_dropped;     /* beyond one in service plus one pending */
	uint64_t iret_exits;
	uint64_t nmi_window_singlesteps;
	/* Exits the backend's fastpath handled, re-entering at once (hv/vm.h). */
	uint64_t fastpath_exits;
};

struct hv_vcpu {
	uint32_t id;
	uint32_t mp_state; /* enum hv_mp_state */
	const struct hv_vcpu_ops *ops;
	const struct hv_guest *guest;
	struct hv_vcpu_config config;
	struct arch_gprs gprs;
	/* NMIs, as KVM counts them (vendor-neutral). */
	struct {
		uint32_t queued;   /* hv_vcpu_queue_nmi calls not yet processed */
		uint32_t pending;  /* accepted, waiting in software */
		bool injected;     /* being injected or re-injected */
	} nmi;
	/* An interrupted event to re-inject, other than an NMI (the backend fills it). */
	struct {
		bool valid;
		struct hv_vcpu_event event;
	} reinject;
	uint32_t internal_exits;   /* consecutive, for the loop guard */
	struct hv_vcpu_stats stats;
	/* An exception the core raises in the guest (#GP from the virtual APIC). */
	struct {
		bool valid;
		struct hv_vcpu_event event;
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
	uint32_t posts_seen;  /* mailbox.posts at the entry's last look */
	/*
	 * Kicks (hv/src/core/mp.c): set by the vCPU's processor from just
	 * before its last look at the mailbox until the #VMEXIT; a sender that
	 * sees it sends a physical IPI to host_apic_id, the APIC ID of the
	 * processor that runs the vCPU.
	 */
	uint32_t in_guest;
	uint32_t host_apic_id;
	/*
	 * The backend's own state (hv/backend.h): the VMCB and its bookkeeping
	 * for SVM. Only the backend in ops reads or writes it.
	 */
	union hv_vcpu_backend backend;
};

/* Bits of hv_vcpu.mailbox.events. */
#define HV_MP_EVENT_INIT 1u
#define HV_MP_EVENT_SIPI 2u

/* Consecutive internal exits after which hv_vcpu_run gives up (HV_INTERNAL_LOOP). */
#define HV_VCPU_MAX_INTERNAL_EXITS 100000u

/*
 * Enables virtualisation on the calling processor with the first backend
 * it supports (hv_backend_probe, then the backend's cpu_enable). Returns
 * HV_OK, HV_ENOSVM when no backend fits, or the backend's error (SVM: as
 * hv_svm_enable).
 */
int hv_cpu_enable(void);

/*
 * Creates a vCPU for a guest built by hv_guest_build: its backend
 * (cfg->ops, or the probe's) allocates its VMCB/VMCS and initialises it.
 * The backend must be enabled on this processor (hv_cpu_enable). Returns
 * HV_OK, HV_ENOSVM, HV_ENOMEM.
 */
int hv_vcpu_create(struct hv_vcpu *vcpu, const struct hv_vcpu_config *cfg,
		   const struct hv_guest *guest);

/* Runs the guest until an exit the caller must see. Returns HV_OK or HV_EINVAL. */
int hv_vcpu_run(struct hv_vcpu *vcpu, struct hv_exit *exit);

/* One bare world switch, with no event processing: for "tiny hypervisor" scenarios. */
arch_fault_t hv_vcpu_enter(struct hv_vcpu *vcpu);

/* The guest's RIP and general-purpose registers (enum hv_gpr), whichever backend. */
uint64_t hv_vcpu_get_rip(struct hv_vcpu *vcpu);
void hv_vcpu_set_rip(struct hv_vcpu *vcpu, uint64_t rip);
uint64_t hv_vcpu_get_gpr(struct hv_vcpu *vcpu, unsigned n);
void hv_vcpu_set_gpr(struct hv_vcpu *vcpu, unsigned n, uint64_t value);

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
/* Name of an hv_exit_kind: "HYPERCALL", "GPA_FAULT"... */
const char *hv_exit_kind_name(uint32_t kind);

#endif
