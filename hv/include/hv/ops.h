/* SPDX-License-Identifier: MIT */
/*
 * What a virtualisation backend must provide, as one list. The SVM and VMX
 * backends fill struct hv_vcpu_ops from it; the core calls
 * only through the table and never asks which vendor it runs on. The
 * backends themselves, their per-vCPU and per-VM state and the probe are
 * hv/backend.h.
 *
 *   HV_VCPU_OPS(OP, OP_OPTIONAL)
 *
 * expands OP(ret, name, args) for every mandatory operation and
 * OP_OPTIONAL(ret, name, args) for the ones a backend may leave NULL.
 *
 * Who may include it: hv/.
 */
#ifndef HV_OPS_H
#define HV_OPS_H

#include <stdbool.h>
#include <stdint.h>

#include "vx/arch.h"

struct hv_vcpu;
struct hv_vm;
struct hv_exit;
struct hv_vcpu_event;

/*
 * What the guest's current instruction and its memory operand depend on:
 * its paging state, its code segment (attributes in the packed 12-bit
 * form, X86_SEG_*) and the bases of ES, CS, SS and DS, for instructions
 * the core emulates (hv/src/core/insn.h).
 */
struct hv_insn_state {
	uint64_t rip;
	uint32_t cs_limit;
	uint16_t cs_attrib;
	uint64_t seg_base[4]; /* ES, CS, SS, DS */
	uint64_t cr0, cr3, cr4, efer;
};

/* What a probe learns about the processor, beyond "this backend works here". */
struct hv_backend_caps {
	/* Second-level address translation: SVM nested paging, VMX EPT. */
	bool slat;
	/*
	 * A guest timer: the backend can make the guest exit once the TSC
	 * reaches a value (set_timer; VMX: the preemption timer).
	 */
	bool guest_timer;
	/*
	 * Guest wait states: the guest can be entered halted or waiting for a
	 * SIPI, and a physical INIT or SIPI reaching it exits (set_wait_state;
	 * VMX: the HLT and wait-for-SIPI activity states, INIT and SIPI exits).
	 */
	bool wait_states;
};

/* How a backend answered an MSR access (emulate_msr). */
enum hv_msr_result {
	HV_MSR_OK = 0,        /* done; a read's value in *value */
	HV_MSR_GP = 1,        /* the guest gets #GP(0) */
	HV_MSR_UNHANDLED = 2, /* not an MSR the backend emulates */
};

#define HV_VCPU_OPS(OP, OP_OPTIONAL)                                                   \
	/* Does this processor have the extension? caps (may be NULL) says more. */   \
	OP(bool, probe, (struct hv_backend_caps *caps))                               \
	/* Enables it on the calling processor, which probe accepted. */             \
	OP(int, cpu_enable, (void))                                                   \
	/* Backend part of hv_vcpu_create: the VMCB/VMCS and its initial state. */   \
	OP(int, vcpu_setup, (struct hv_vcpu *vcpu))                                   \
	/* One world switch: VMRUN (or VMLAUNCH/VMRESUME) and back. */                \
	OP(arch_fault_t, vcpu_enter, (struct hv_vcpu *vcpu))                          \
	/* After a world switch: fills exit->raw, exit->kind and exit->info and */   \
	/* does the backend's own bookkeeping (interrupted events, NMI tracking). */ \
	/* true: the exit was the backend's own business; the core enters again. */  \
	OP(bool, decode_exit, (struct hv_vcpu *vcpu, struct hv_exit *exit))           \
	OP(uint64_t, get_rip, (struct hv_vcpu *vcpu))                                 \
	OP(void, set_rip, (struct hv_vcpu *vcpu, uint64_t rip))                       \
	/* Queue an event for the next entry (SVM: EVENTINJ; VMX: the entry */       \
	/* interruption-information field). */                                       \
	OP(void, inject_event, (struct hv_vcpu *vcpu, const struct hv_vcpu_event *ev)) \
	/* NMI delivery and blocking (APM §15.21.9, §15.21.10). */                   \
	OP(void, inject_nmi, (struct hv_vcpu *vcpu))                                  \
	OP(bool, get_nmi_mask, (struct hv_vcpu *vcpu))                                \
	OP(void, set_nmi_mask, (struct hv_vcpu *vcpu, bool masked))                   \
	OP(bool, nmi_blocked, (struct hv_vcpu *vcpu))                                 \
	OP(bool, nmi_allowed, (struct hv_vcpu *vcpu))                                 \
	OP(void, enable_nmi_window, (struct hv_vcpu *vcpu))                           \
	OP(bool, is_vnmi_pending, (struct hv_vcpu *vcpu))                             \
	OP(bool, set_vnmi_pending, (struct hv_vcpu *vcpu))                            \
	/* A vCPU of a VM (hv/vm.h): intercepts for the virtual APIC, HLT, PAUSE, */ \
	/* CPUID, and the VM's second-level tables. */                               \
	OP(void, setup_mp, (struct hv_vcpu *vcpu))                                    \
	/* The architectural state after INIT (SDM vol. 3 §9.1.1, table 9-1). */      \
	OP(void, reset_init, (struct hv_vcpu *vcpu))                                  \
	/* Request a virtual interrupt for the next entry (-1: none), and whether */  \
	/* the guest has not yet taken the one requested (APM §15.21.4). */           \
	OP(void, set_irq_request, (struct hv_vcpu *vcpu, int vector))                 \
	OP(bool, irq_request_pending, (struct hv_vcpu *vcpu))                         \
	/* The guest's RFLAGS.IF: may a fixed interrupt end its HLT? */               \
	OP(bool, interrupts_enabled, (struct hv_vcpu *vcpu))                          \
	/* Emulating one guest instruction (the xAPIC page, hv/vlapic.h): GPR n */    \
	/* in instruction-encoding order (0 RAX ... 4 RSP ... 15 R15), the */        \
	/* instruction's state, the bytes the processor stored with this exit */     \
	/* (decode assists; 0 when it stored none), and the resume after it: the */  \
	/* next RIP the processor saved when it saved one, else RIP + len. */        \
	OP(uint64_t, get_gpr, (struct hv_vcpu *vcpu, unsigned n))                     \
	OP(void, set_gpr, (struct hv_vcpu *vcpu, unsigned n, uint64_t value))         \
	OP(void, get_insn_state, (struct hv_vcpu *vcpu, struct hv_insn_state *st))   \
	OP(unsigned, get_insn_bytes, (struct hv_vcpu *vcpu, uint8_t *buf, unsigned size)) \
	OP(void, skip_instruction, (struct hv_vcpu *vcpu, unsigned len))              \
	/* A VM's second-level tables (SVM: nested paging; VMX: EPT), in the */      \
	/* backend's part of struct hv_vm: empty but for the hole, a page never */   \
	/* mapped; then ranges of guest-physical onto system-physical memory; */     \
	/* and the walk, as the processor would do it. */                            \
	OP(int, vm_memory_init, (struct hv_vm *vm, uint64_t hole))                    \
	OP(int, vm_memory_map, (struct hv_vm *vm, uint64_t gpa, uint64_t spa, uint64_t size)) \
	OP(bool, vm_memory_translate, (const struct hv_vm *vm, uint64_t gpa, uint64_t *spa)) \
	/* An intercepted MSR of a VM's vCPU that is the backend's, not the */       \
	/* virtual APIC's (SVM: EFER, whose SVME the guest must not see). */         \
	OP_OPTIONAL(enum hv_msr_result, emulate_msr,                                  \
		    (struct hv_vcpu *vcpu, uint32_t msr, bool write, uint64_t *value))    \
	/* INIT/SIPI: CS:IP from a SIPI vector. */                                   \
	OP_OPTIONAL(void, deliver_sipi_vector, (struct hv_vcpu *vcpu, uint8_t vector)) \
	/* The calling processor lets go of the vCPU, so that another may run it */  \
	/* (VMX: VMCLEAR, SDM vol. 3C §25.11.1). */                                   \
	OP_OPTIONAL(void, vcpu_put, (struct hv_vcpu *vcpu))                          \
	/* Where the probe reported a guest timer: before an entry, an exit of */    \
	/* kind HV_EXIT_KIND_TIMER no earlier than when the TSC reaches deadline */  \
	/* and soon after it (0: none), for the virtual APIC's TSC-deadline */      \
	/* timer (hv/vlapic.h). */                                                  \
	OP_OPTIONAL(void, set_timer, (struct hv_vcpu *vcpu, uint64_t deadline))  \
	/* Where the probe reported wait states, for a VM whose guest owns the */   \
	/* APIC (hv/vm.h): the next entry leaves the guest waiting as mp_state */    \
	/* says — UNINITIALIZED halted, INIT_RECEIVED for a SIPI, RUNNABLE active. */ \
	OP_OPTIONAL(void, set_wait_state, (struct hv_vcpu *vcpu, uint32_t mp_state))

#define HV_OPS_MEMBER(ret, name, args) ret(*name) args;

struct hv_vcpu_ops {
	const char *name; /* "svm", "vmx" */
	HV_VCPU_OPS(HV_OPS_MEMBER, HV_OPS_MEMBER)
};

#endif
