/* SPDX-License-Identifier: MIT */
/*
 * Initial VMCB for a guest from the guest builder, and the I/O and MSR
 * permission maps (APM vol. 2 §15.5.1, §15.10.1, §15.11, appendix B).
 */
#include "vx/arch.h"
#include "hv/guest.h"
#include "hv/lib.h"
#include "hv/svm.h"
#include "x86/cpu.h"

/* PAT reset value (APM vol. 2 §7.8.2): WB, WT, UC-, UC, repeated. */
#define HV_PAT_DEFAULT 0x0007040600070406ull
#define HV_DR6_INIT 0xffff0ff0ull
#define HV_DR7_INIT 0x400ull

/* Packed VMCB attributes (APM §15.5.1 "Segment State in the VMCB"). */
#define ATTR_CODE64 (X86_SEG_TYPE_CODE_RX_A | X86_SEG_S | X86_SEG_P | X86_SEG_L | X86_SEG_G)
#define ATTR_DATA (X86_SEG_TYPE_DATA_RW_A | X86_SEG_S | X86_SEG_P | X86_SEG_DB | X86_SEG_G)

static void set_seg(struct vmcb_seg *seg, uint16_t sel, uint16_t attrib, uint32_t limit,
		    uint64_t base)
{
	seg->selector = sel;
	seg->attrib = attrib;
	seg->limit = limit;
	seg->base = base;
}

int hv_vmcb_init(struct vmcb *vmcb, const struct hv_guest *g)
{
	struct vmcb_control_area *c = &vmcb->control;
	struct vmcb_save_area *s = &vmcb->save;
	uint64_t iopm = arch_pages_alloc(3), msrpm = arch_pages_alloc(2);

	if (!iopm || !msrpm)
		return HV_ENOMEM;
	hv_memset(vmcb, 0, sizeof(*vmcb));

	/*
	 * VMRUN is mandatory (VMEXIT_INVALID otherwise). VMMCALL is how guests
	 * talk to the core. NMI keeps physical NMIs out of the guest's IDT and
	 * is required by V_NMI_ENABLE; SHUTDOWN keeps a guest triple fault from
	 * shutting down the host (APM §15.14.3).
	 */
	c->intercepts[VMCB_INTERCEPT_MISC1] = INTERCEPT_NMI | INTERCEPT_SHUTDOWN;
	c->intercepts[VMCB_INTERCEPT_MISC2] = INTERCEPT_VMRUN | INTERCEPT_VMMCALL;
	c->iopm_base_pa = iopm;
	c->msrpm_base_pa = msrpm;
	c->asid = 1;
	c->tlb_ctl = TLB_CONTROL_DO_NOTHING;

	set_seg(&s->cs, HV_GUEST_SEL_CODE64, ATTR_CODE64, 0xffffffffu, 0);
	set_seg(&s->ds, HV_GUEST_SEL_DATA, ATTR_DATA, 0xffffffffu, 0);
	set_seg(&s->es, HV_GUEST_SEL_DATA, ATTR_DATA, 0xffffffffu, 0);
	set_seg(&s->ss, HV_GUEST_SEL_DATA, ATTR_DATA, 0xffffffffu, 0);
	set_seg(&s->fs, HV_GUEST_SEL_DATA, ATTR_DATA, 0xffffffffu, 0);
	set_seg(&s->gs, HV_GUEST_SEL_DATA, ATTR_DATA, 0xffffffffu, 0);
	set_seg(&s->gdtr, 0, 0, g->gdt_limit, g->gdt_base);
	set_seg(&s->idtr, 0, 0, g->idt_limit, g->idt_base);
	/* No LDT, and no TSS: the IDT gates use IST 0 at CPL 0. */
	set_seg(&s->ldtr, 0, 0, 0, 0);
	set_seg(&s->tr, 0, X86_SEG_TYPE_TSS64_BUSY | X86_SEG_P, 0x67, 0);
	s->cpl = 0;
	s->efer = X86_EFER_LME | X86_EFER_LMA | X86_EFER_SVME;
	/* CD = NW = 0: the only cacheable combination, and a legal one. */
	s->cr0 = X86_CR0_PE | X86_CR0_ET | X86_CR0_NE | X86_CR0_WP | X86_CR0_PG;
	s->cr3 = g->cr3;
	s->cr4 = X86_CR4_PAE;
	s->dr6 = HV_DR6_INIT;
	s->dr7 = HV_DR7_INIT;
	s->rflags = X86_RFLAGS_FIXED;
	s->rip = g->entry;
	s->rsp = g->stack_top;
	s->g_pat = HV_PAT_DEFAULT;
	return HV_OK;
}

void hv_iopm_set(struct vmcb *vmcb, uint16_t port, bool intercept)
{
	uint8_t *map = arch_phys_to_virt(vmcb->control.iopm_base_pa & ~0xfffull);
	uint8_t bit = (uint8_t)(1u << (port & 7));

	if (intercept)
		map[port >> 3] |= bit;
	else
		map[port >> 3] &= (uint8_t)~bit;
}

int hv_msrpm_set(struct vmcb *vmcb, uint32_t msr, bool read, bool write)
{
	uint8_t *map = arch_phys_to_virt(vmcb->control.msrpm_base_pa & ~0xfffull);
	uint32_t base, index, byte, shift;

	/* Three 2 KiB vectors, two bits per MSR: read (lsb), write (msb). */
	if (msr <= 0x1fffu)
		base = 0x000;
	else if (msr >= 0xc0000000u && msr <= 0xc0001fffu)
		base = 0x800;
	else if (msr >= 0xc0010000u && msr <= 0xc0011fffu)
		base = 0x1000;
	else
		return HV_EINVAL;
	index = (msr & 0x1fffu) * 2;
	byte = base + index / 8;
	shift = index % 8;
	map[byte] &= (uint8_t)~(3u << shift);
	map[byte] |= (uint8_t)(((read ? 1u : 0u) | (write ? 2u : 0u)) << shift);
	return HV_OK;
}
