/* SPDX-License-Identifier: MIT */
/*
 * The SVM backend, for callers that work with SVM itself: capability
 * discovery, per-processor enablement, VMCB set-up, the names of #VMEXIT
 * codes, and a vCPU's VMCB and backend state or a VM's nested tables
 * (hv/svm_npt.h) when SVM runs them. Scenarios that act as a "tiny
 * hypervisor" use these with hv_vcpu_enter; everything else goes through
 * the vendor-neutral vCPU API in hv/vcpu.h and hv/vm.h.
 *
 * Who may include it: hv/, SVM scenarios (conformance/src/svm/, and the
 * svm_* scenarios elsewhere that check SVM state), cli/, hw/.
 */
#ifndef HV_SVM_H
#define HV_SVM_H

#include <stdbool.h>
#include <stdint.h>

#include "hv/svm_npt.h"
#include "hv/vcpu.h"
#include "hv/vm.h"
#include "x86/svm.h"
#include "x86/vmcb.h"

struct hv_guest;

/*
 * The SVM backend's state of a vCPU (hv/svm_state.h), its VMCB, and a VM's
 * nested tables. Only for a vCPU or VM that runs on svm_vcpu_ops.
 */
static inline struct hv_svm_vcpu *hv_svm_vcpu(struct hv_vcpu *vcpu)
{
	return &vcpu->backend.svm;
}

static inline struct vmcb *hv_svm_vmcb(const struct hv_vcpu *vcpu)
{
	return vcpu->backend.svm.vmcb;
}

static inline const struct hv_npt *hv_svm_npt(const struct hv_vm *vm)
{
	return &vm->backend.svm.npt;
}

/* What CPUID says about SVM (APM vol. 2 §15.4, vol. 3 appendix E). */
struct hv_svm_caps {
	bool svm;           /* Fn8000_0001 ECX[2] */
	uint32_t revision;  /* Fn8000_000A EAX[7:0] */
	uint32_t nasids;    /* Fn8000_000A EBX */
	uint32_t features;  /* Fn8000_000A EDX, SVM_FEATURE_* */
	uint32_t maxphyaddr;/* Fn8000_0008 EAX[7:0], 36 when the leaf is absent */
	bool np;            /* EDX[0] nested paging */
	bool nrips;         /* EDX[3] next_rip saved on #VMEXIT */
	bool vmcb_clean;    /* EDX[5] */
	bool decode_assists;/* EDX[7] */
	bool vgif;          /* EDX[16] */
	bool vnmi;          /* EDX[25] */
};

/* Fills *caps from CPUID. Never fails; caps->svm says whether SVM exists. */
void hv_svm_caps(struct hv_svm_caps *caps);

/*
 * Enables SVM on the calling processor: EFER.SVME = 1 and VM_HSAVE_PA set to
 * a fresh page (kept if the processor already has one). Returns HV_OK,
 * HV_ENOSVM, HV_ESVMDIS, HV_ENOMEM or HV_EFAULT; never faults.
 */
int hv_svm_enable(void);

/*
 * Fills a zeroed VMCB for a 64-bit guest built by hv_guest_build: long-mode
 * CS, flat data segments, CPL 0, EFER = LME|LMA|SVME, CR0 = PE|ET|NE|WP|PG,
 * CR4 = PAE, RFLAGS = 2, the guest's CR3/GDTR/IDTR/RIP/RSP, the default PAT,
 * DR6/DR7 reset values. Control area: intercepts VMRUN (mandatory), VMMCALL,
 * NMI and SHUTDOWN; ASID 1; an IOPM (3 pages) and an MSRPM (2 pages), both
 * freshly allocated and zeroed. Returns HV_OK or HV_ENOMEM.
 */
int hv_vmcb_init(struct vmcb *vmcb, const struct hv_guest *guest);

/* Permission maps of an initialised VMCB (APM §15.10.1, §15.11). */
void hv_iopm_set(struct vmcb *vmcb, uint16_t port, bool intercept);
/* Returns HV_EINVAL for an MSR outside the three ranges the MSRPM covers. */
int hv_msrpm_set(struct vmcb *vmcb, uint32_t msr, bool read, bool write);

/* Intercept bits: word is enum vmcb_intercept_word, bit a mask. */
static inline void hv_vmcb_intercept(struct vmcb *vmcb, unsigned word, uint32_t bit, bool on)
{
	if (on)
		vmcb->control.intercepts[word] |= bit;
	else
		vmcb->control.intercepts[word] &= ~bit;
}

static inline bool hv_vmcb_intercepted(const struct vmcb *vmcb, unsigned word, uint32_t bit)
{
	return (vmcb->control.intercepts[word] & bit) != 0;
}

/*
 * Name of an SVM #VMEXIT code as the APM spells it without the "VMEXIT_"
 * prefix: "VMMCALL", "CPUID", "CR0_READ", "EXCP14 (#PF)", "INVALID".
 * Unknown codes give "unknown".
 */
const char *svm_exit_name(uint64_t exit_code);

/* Name of an EVENTINJ/EXITINTINFO TYPE field value (0-7): "INTR", "NMI"... */
const char *svm_event_type_name(uint32_t type);

#endif
