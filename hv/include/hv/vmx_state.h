/* SPDX-License-Identifier: MIT */
/*
 * The VMX backend's state of a vCPU and of a VM: what union
 * hv_vcpu_backend and union hv_vm_backend (hv/backend.h) hold for it. The
 * core keeps room for it and never looks inside; only hv/src/vmx/ reads or
 * writes it, and VMX scenarios reach a vCPU's VMCS through hv/vmx.h.
 *
 * The VMCS is a page the backend takes from arch_page_alloc when it sets
 * the vCPU up; its layout is the processor's, reached only with VMREAD and
 * VMWRITE while it is current (SDM vol. 3C §25.1, §25.11). The EPT paging
 * structures are pages from arch_page_alloc too.
 *
 * Who may include it: hv/ (through hv/backend.h).
 */
#ifndef HV_VMX_STATE_H
#define HV_VMX_STATE_H

#include <stdbool.h>
#include <stdint.h>

struct hv_vmx_vcpu {
	uint64_t vmcs_pa;
	uint64_t msr_bitmap_pa;   /* one page: read and write bitmaps (SDM §25.6.9) */
	uint64_t io_bitmap_pa;    /* two pages, A then B (SDM §25.6.4) */
	/* VMCLEAR made the launch state "clear": VMLAUNCH, not VMRESUME (§25.11.3). */
	bool launched;
	/* A fixed interrupt of the virtual APIC the core asked for (-1: none). */
	int32_t irq_vector;
	int32_t irq_injected;     /* the vector the entry injected (-1: it waits for a window) */
	uint32_t entry_intr_info; /* what the backend wrote for the entry, 0: nothing */
	uint64_t cr0_fixed0, cr0_fixed1, cr4_fixed0, cr4_fixed1;
	uint64_t ept_caps;        /* IA32_VMX_EPT_VPID_CAP, 0 without EPT */
	/* The preemption timer (timer.c): its rate (IA32_VMX_MISC 4:0), and on. */
	bool has_timer, timer_on;
	uint8_t timer_rate;
	/* The exit, as the processor reported it (read once, after the exit). */
	uint32_t exit_reason;
	uint32_t exit_intr_info, exit_intr_error;
	uint32_t idt_info, idt_error;
	uint32_t exit_insn_len;
	uint64_t exit_qual, exit_gpa;
};

struct hv_vmx_vm {
	uint64_t ept_root; /* the EPT PML4, shared by every vCPU's EPT pointer */
	uint64_t ept_hole; /* the guest-physical page left not present */
};

#endif
