/* SPDX-License-Identifier: MIT */
/*
 * The SVM processor model (APM vol. 2 chapter 15): what VMRUN, #VMEXIT,
 * intercepts, event injection, GIF and vNMI mean on a model processor.
 * Internal to the model platform: used by emu/src (the engine and the seam).
 */
#ifndef SVM_MODEL_H
#define SVM_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "emu/src/emu_internal.h"
#include "x86/svm.h"
#include "x86/vmcb.h"

/* Per-processor SVM state. */
struct svm_cpu {
	bool gif;                /* the global interrupt flag (§15.17) */
	uint64_t vm_hsave_pa;    /* VM_HSAVE_PA (§15.30.4) */
	uint64_t vm_cr;          /* VM_CR (§15.30.1) */
	bool guest;              /* in guest mode (between VMRUN and #VMEXIT) */
	struct vmcb *vmcb;
	uint64_t vmcb_pa;
	struct arch_gprs *gprs;
	uint32_t intercepts[VMCB_INTERCEPT_WORDS];
	bool vnmi;               /* V_NMI_ENABLE in effect for this run */
	bool guest_nmi_blocked;  /* NMI blocking without vNMI (until IRET) */
	bool exit_pending;
	/* The event being vectored when a fault interrupted it (for EXITINTINFO). */
	bool delivering;
	uint32_t delivering_info, delivering_err;
	bool delivering_vnmi;
	uint32_t host_nmis;      /* NMIs taken in host mode (arch_host_nmis) */
	uint8_t tpr;             /* host CR8 */
	/* Features this machine models (CPUID Fn8000_000A EDX). */
	bool has_vnmi, has_nrips, has_np, has_decode;
	/* Nested paging in effect for this run, and its root. */
	bool npt;
	uint64_t ncr3;
	/* reset.c: the VMCB that stands in for "no hypervisor" while code
	 * started by a start-up IPI runs. */
	struct vmcb own_vmcb;
};

static inline struct svm_cpu *svm_of(const struct emu_cpu *cpu)
{
	return cpu->vext_state;
}

/* The extension as the neutral processor sees it (emu/vext.h). */
extern const struct emu_vext svm_vext;

int svm_model_cpu_init(struct emu_cpu *cpu);
void svm_model_cpu_fini(struct emu_cpu *cpu);

/* Guest mode (emu_vext): intercept policy and the engine's stops. */
bool svm_model_trap_wanted(struct emu_cpu *cpu, const struct emu_insn *in);
bool svm_model_iret_unblocks(struct emu_cpu *cpu);
void svm_model_iret_completed(struct emu_cpu *cpu);
bool svm_model_owns_msr(uint32_t msr);
void svm_model_slat_fault(struct emu_cpu *cpu);

/* Instructions executed in host mode (the seam). */
arch_fault_t svm_model_vmrun(struct emu_cpu *cpu, uint64_t vmcb_pa, struct arch_gprs *gprs);
arch_fault_t svm_model_vmload(struct emu_cpu *cpu, uint64_t vmcb_pa);
arch_fault_t svm_model_vmsave(struct emu_cpu *cpu, uint64_t vmcb_pa);
arch_fault_t svm_model_stgi(struct emu_cpu *cpu);
arch_fault_t svm_model_clgi(struct emu_cpu *cpu);
/* What SVM adds to the processor's CPUID answer (emu_vext.cpuid). */
void svm_model_cpuid(struct emu_cpu *cpu, uint32_t leaf, uint32_t subleaf, bool guest,
		     struct arch_cpuid *out);
/* The MSRs SVM owns (emu_vext.rdmsr/wrmsr). */
arch_fault_t svm_model_rdmsr(struct emu_cpu *cpu, uint32_t msr, uint64_t *value, bool *handled);
arch_fault_t svm_model_wrmsr(struct emu_cpu *cpu, uint32_t msr, uint64_t value, bool *handled);

/* Events taken at a host-mode instruction boundary (an NMI once GIF is set). */
void svm_model_host_events(struct emu_cpu *cpu);

/* reset.c: SVM's part of an INIT reset, and of code a start-up IPI started
 * (emu_vext.init_reset, bare_enter). */
void svm_model_init_reset(struct emu_cpu *cpu);
void svm_model_bare_enter(struct emu_cpu *cpu);

/* npt.c: nested paging (§15.25) as the engine's second level of translation.
 * Its fault information is #NPF's exit_info_1 without bits 32/33. */
extern const struct emu_slat svm_npt_slat;

/* checks.c: VMRUN consistency checks (APM §15.5.1, include/x86/svm_checks.h):
 * -1 when the VMCB passes them all, else the first rule it breaks
 * (enum svm_vmrun_check), reported as HV_EV_CONSISTENCY → VMEXIT_INVALID. */
int svm_vmcb_check(struct emu_cpu *cpu, const struct vmcb *vmcb);

/* exit.c */
void svm_vmexit(struct emu_cpu *cpu, uint64_t code, uint64_t info1, uint64_t info2);
/* #VMEXIT for an intercepted instruction of length len at the current RIP. */
void svm_vmexit_insn(struct emu_cpu *cpu, uint64_t code, uint64_t info1, uint64_t info2,
		     uint8_t len);
void svm_save_guest(struct emu_cpu *cpu);

/* events.c */
/* Raise an exception in the guest: intercepted → #VMEXIT, else vectored. */
void svm_raise(struct emu_cpu *cpu, const struct emu_pending_event *ev);
/* Deliver (or exit on) anything pending and deliverable; true if it did. */
bool svm_take_events(struct emu_cpu *cpu);
/* Event injection at VMRUN (EVENTINJ). */
void svm_inject_eventinj(struct emu_cpu *cpu);
bool svm_eventinj_valid(uint32_t event_inj, bool mode64);

/* intercept.c */
void svm_handle_trap(struct emu_cpu *cpu);
void svm_handle_invalid(struct emu_cpu *cpu);
void svm_handle_exception(struct emu_cpu *cpu);
/* INT n (CDh, with its vector), INT3 (CCh), INTO (CEh) or INT1 (F1h) of
 * length len at the stop RIP, trapped before it ran. */
void svm_software_event(struct emu_cpu *cpu, uint8_t opcode, uint8_t vector, uint8_t len);

/* The VMCB's segment format and the processor's: the same fields. */
static inline struct x86_seg svm_seg_load(const struct vmcb_seg *v)
{
	return (struct x86_seg){ v->selector, v->attrib, v->limit, v->base };
}

static inline struct vmcb_seg svm_seg_save(const struct x86_seg *s)
{
	return (struct vmcb_seg){ s->selector, s->attrib, s->limit, s->base };
}

static inline bool svm_intercepted(const struct svm_cpu *s, unsigned word, uint32_t bit)
{
	return (s->intercepts[word] & bit) != 0;
}

#endif
