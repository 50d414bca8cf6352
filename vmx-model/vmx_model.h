/* SPDX-License-Identifier: MIT */
/*
 * The VMX processor model (SDM vol. 3C chapters 24-32): VMX operation and
 * its instructions, VM entry and VM exit, and what happens in VMX non-root
 * operation — on a model processor, behind emu/vext.h. caps.c, vmcs.c and
 * checks*.c are its engine-free parts; the rest drives the processor.
 * Internal to the model platform: only emu/src/compose.c and arch_model.c
 * name it.
 */
#ifndef VMX_MODEL_H
#define VMX_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "emu/src/emu_internal.h"
#include "vmx-model/caps.h"
#include "vmx-model/vmcs.h"
#include "x86/vmx.h"

/* Per-processor VMX state. */
struct vmx_cpu {
	struct vmx_caps caps;
	uint64_t feature_control;  /* IA32_FEATURE_CONTROL */
	bool vmxon;                /* in VMX operation (§24.5) */
	uint64_t vmxon_pa;
	uint64_t current;          /* the current-VMCS pointer; VMX_NO_VMCS for none */
	/* VMX non-root operation, between VM entry and VM exit. */
	bool guest;
	bool exit_pending;
	struct vmx_vmcs *vmcs;     /* the current VMCS while in non-root operation */
	struct arch_gprs *gprs;
	uint64_t guest_cr4_vmxe;   /* CR4.VMXE of the guest: the engine holds none */
	uint32_t activity;         /* enum vmx_activity_state of the guest */
	uint64_t eptp;             /* the EPT pointer VM entry loaded, with "enable EPT" */
	/* Blocking by NMI, or virtual-NMI blocking under "virtual NMIs" (§25.3). */
	bool nmi_blocked;
	/* The event being vectored when a fault interrupted it (IDT-vectoring information). */
	bool delivering;
	uint32_t delivering_info, delivering_err;
	/* The VMX-preemption timer (§26.5.1): the cycle it reaches zero, if armed. */
	bool timer_armed, timer_expired;
	uint64_t timer_zero_at;
};

#define VMX_NO_VMCS (~0ull)

static inline struct vmx_cpu *vmx_of(const struct emu_cpu *cpu)
{
	return cpu->vext_state;
}

extern const struct emu_vext vmx_vext;
/* The VMX-preemption timer as the processor's timed event (emu/device.h). */
extern const struct emu_device vmx_timer_device;

int vmx_model_cpu_init(struct emu_cpu *cpu);
void vmx_model_cpu_fini(struct emu_cpu *cpu);

/* vmxon.c: the VMX instructions in VMX root operation (the seam's). */
arch_fault_t vmx_model_vmxon(struct emu_cpu *cpu, uint64_t pa);
arch_fault_t vmx_model_vmxoff(struct emu_cpu *cpu);
arch_fault_t vmx_model_vmclear(struct emu_cpu *cpu, uint64_t pa);
arch_fault_t vmx_model_vmptrld(struct emu_cpu *cpu, uint64_t pa);
arch_fault_t vmx_model_vmread(struct emu_cpu *cpu, uint64_t field, uint64_t *value);
arch_fault_t vmx_model_vmwrite(struct emu_cpu *cpu, uint64_t field, uint64_t value);
/* The current VMCS, or NULL. */
struct vmx_vmcs *vmx_current_vmcs(struct emu_cpu *cpu);
/* VMfailInvalid, or VMfailValid(error) with the error in the current VMCS (§31.2). */
arch_fault_t vmx_fail(struct emu_cpu *cpu, uint32_t error);

/* entry.c: VMLAUNCH and VMRESUME. */
arch_fault_t vmx_model_vmentry(struct emu_cpu *cpu, struct arch_gprs *gprs, bool resume);

/* exit.c: a VM exit with its basic reason, qualification and the
 * instruction length (0 when the exit is not for an instruction). */
void vmx_vmexit(struct emu_cpu *cpu, uint32_t reason, uint64_t qualification, uint8_t len);
/* The same, reporting an event in the VM-exit interruption information. */
void vmx_vmexit_event(struct emu_cpu *cpu, uint32_t reason, uint32_t intr_info,
		      uint32_t error, uint64_t qualification, uint8_t len);

/* ept_slat.c: EPT as the engine's second level, and the VM exit for a
 * fault of it (info as the walk reported it, the GPA, the linear address). */
extern const struct emu_slat vmx_ept_slat;
void vmx_ept_exit(struct emu_cpu *cpu, uint64_t info, uint64_t gpa, uint64_t la);

/* seg.c: the VMCS access-rights format and the processor's segments. */
struct x86_seg vmx_seg_load(const struct vmx_segment *v);
struct vmx_segment vmx_seg_save(const struct x86_seg *s);

/* intercept.c: VM-execution controls for instructions (§26.1). */
bool vmx_model_trap_wanted(struct emu_cpu *cpu, const struct emu_insn *in);
void vmx_handle_trap(struct emu_cpu *cpu);
void vmx_handle_invalid(struct emu_cpu *cpu);

/* events.c: exceptions, interrupts, NMIs, INIT, SIPI, windows, the timer,
 * activity states. */
void vmx_raise(struct emu_cpu *cpu, const struct emu_pending_event *ev);
void vmx_handle_exception(struct emu_cpu *cpu);
bool vmx_take_events(struct emu_cpu *cpu);
void vmx_inject(struct emu_cpu *cpu);
void vmx_pending_debug(struct emu_cpu *cpu, uint64_t pending);
bool vmx_iret_unblocks(struct emu_cpu *cpu);
void vmx_iret_completed(struct emu_cpu *cpu);
void vmx_host_events(struct emu_cpu *cpu);
void vmx_software_event(struct emu_cpu *cpu, uint8_t opcode, uint8_t vector, uint8_t len);
/* The preemption timer's value now (§26.5.1), and arming it from a value. */
uint32_t vmx_timer_value(struct emu_cpu *cpu);
void vmx_timer_arm(struct emu_cpu *cpu, uint32_t value);

#endif
