/* SPDX-License-Identifier: MIT */
/*
 * What a virtualisation backend must provide, as one list. The SVM backend
 * (and later the VMX one) fills struct hv_vcpu_ops from it; the core calls
 * only through the table and never asks which vendor it runs on.
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
struct hv_exit;

/*
 * What the guest's current instruction and its memory operand depend on:
 * its paging state, its code segment (attributes in the VMCB's packed
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

#define HV_VCPU_OPS(OP, OP_OPTIONAL)                                                   \
	/* Backend part of hv_vcpu_create: the VMCB/VMCS and its initial state. */   \
	OP(int, vcpu_setup, (struct hv_vcpu *vcpu))                                   \
	/* One world switch: VMRUN (or VMLAUNCH/VMRESUME) and back. */                \
	OP(arch_fault_t, vcpu_enter, (struct hv_vcpu *vcpu))                          \
	/* After a world switch: 1 = handled, run again; 0 = *exit is for the caller. */ \
	OP(int, handle_exit, (struct hv_vcpu *vcpu, struct hv_exit *exit))            \
	OP(uint64_t, get_rip, (struct hv_vcpu *vcpu))                                 \
	OP(void, set_rip, (struct hv_vcpu *vcpu, uint64_t rip))                       \
	/* Queue an event (EVENTINJ format) for the next entry. */                   \
	OP(void, inject_event, (struct hv_vcpu *vcpu, uint32_t info, uint32_t error_code)) \
	/* NMI delivery and blocking (APM §15.21.9, §15.21.10). */                   \
	OP(void, inject_nmi, (struct hv_vcpu *vcpu))                                  \
	OP(bool, get_nmi_mask, (struct hv_vcpu *vcpu))                                \
	OP(void, set_nmi_mask, (struct hv_vcpu *vcpu, bool masked))                   \
	OP(bool, nmi_blocked, (struct hv_vcpu *vcpu))                                 \
	OP(bool, nmi_allowed, (struct hv_vcpu *vcpu))                                 \
	OP(void, enable_nmi_window, (struct hv_vcpu *vcpu))                           \
	OP(bool, is_vnmi_pending, (struct hv_vcpu *vcpu))                             \
	OP(bool, set_vnmi_pending, (struct hv_vcpu *vcpu))                            \
	/* A vCPU of a VM (hv/vm.h): intercepts for the virtual APIC, HLT, PAUSE, CPUID. */ \
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
	/* INIT/SIPI: CS:IP from a SIPI vector. */                                   \
	OP_OPTIONAL(void, deliver_sipi_vector, (struct hv_vcpu *vcpu, uint8_t vector))

#define HV_OPS_MEMBER(ret, name, args) ret(*name) args;

struct hv_vcpu_ops {
	const char *name; /* "svm" */
	HV_VCPU_OPS(HV_OPS_MEMBER, HV_OPS_MEMBER)
};

/* The SVM backend. */
extern const struct hv_vcpu_ops svm_vcpu_ops;

/* The backend this processor supports, or NULL. */
const struct hv_vcpu_ops *hv_backend_probe(void);

#endif
