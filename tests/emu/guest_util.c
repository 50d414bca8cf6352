/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "emu/emu.h"
#include "guest_util.h"
#include "x86/cpu.h"
#include "x86/msr.h"

void tg_svm_on(void)
{
	arch_wrmsr(MSR_EFER, X86_EFER_SVME);
	arch_wrmsr(MSR_VM_HSAVE_PA, arch_page_alloc());
}

static void common(struct tguest *g, const void *code, size_t len)
{
	memset(g, 0, sizeof(*g));
	g->vmcb_pa = arch_page_alloc();
	g->vmcb = arch_phys_to_virt(g->vmcb_pa);
	g->code_pa = arch_pages_alloc(4);
	memcpy(arch_phys_to_virt(g->code_pa), code, len);
	g->stack_top = arch_pages_alloc(2) + 2 * 4096;
	g->vmcb->control.intercepts[VMCB_INTERCEPT_MISC2] = INTERCEPT_VMRUN | INTERCEPT_VMMCALL;
	g->vmcb->control.asid = 1;
	g->vmcb->save.rflags = X86_RFLAGS_FIXED;
	g->vmcb->save.dr6 = 0xffff0ff0;
	g->vmcb->save.dr7 = 0x400;
	g->vmcb->save.rsp = g->stack_top;
}

void tg_long(struct tguest *g, const void *code, size_t len)
{
	struct vmcb_save_area *s;
	uint64_t pdpt, *p4, *p3;
	struct vmcb_seg data = { 0x10, 0xc93, 0xffffffff, 0 };

	common(g, code, len);
	s = &g->vmcb->save;
	g->pml4_pa = arch_page_alloc();
	pdpt = arch_page_alloc();
	p4 = arch_phys_to_virt(g->pml4_pa);
	p3 = arch_phys_to_virt(pdpt);
	p4[0] = pdpt | X86_PTE_P | X86_PTE_W;
	for (int i = 0; i < 4; i++) {
		uint64_t pd = arch_page_alloc();
		uint64_t *p2 = arch_phys_to_virt(pd);

		p3[i] = pd | X86_PTE_P | X86_PTE_W;
		for (int j = 0; j < 512; j++)
			p2[j] = ((uint64_t)(i * 512 + j) << 21) | X86_PTE_P | X86_PTE_W | X86_PTE_PS;
	}
	g->gdt_pa = arch_page_alloc();
	((uint64_t *)arch_phys_to_virt(g->gdt_pa))[1] = 0x00af9b000000ffffull;
	((uint64_t *)arch_phys_to_virt(g->gdt_pa))[2] = 0x00cf93000000ffffull;
	g->idt_pa = arch_page_alloc();
	s->gdtr.base = g->gdt_pa;
	s->gdtr.limit = 0x17;
	s->idtr.base = g->idt_pa;
	s->idtr.limit = 0xfff;
	s->cs = (struct vmcb_seg){ 0x08, 0xa9b, 0xffffffff, 0 };
	s->ds = s->es = s->ss = data;
	s->efer = X86_EFER_LME | X86_EFER_LMA | X86_EFER_SVME;
	s->cr0 = X86_CR0_PE | X86_CR0_ET | X86_CR0_NE | X86_CR0_PG;
	s->cr3 = g->pml4_pa;
	s->cr4 = X86_CR4_PAE;
	s->rip = g->code_pa;
}

void tg_user(struct tguest *g)
{
	uint64_t *p4 = arch_phys_to_virt(g->pml4_pa), *p3, *gdt = arch_phys_to_virt(g->gdt_pa);
	struct vmcb_save_area *s = &g->vmcb->save;

	p4[0] |= X86_PTE_U;
	p3 = arch_phys_to_virt(p4[0] & ~0xfffull);
	for (int i = 0; i < 4; i++) {
		uint64_t *p2 = arch_phys_to_virt(p3[i] & ~0xfffull);

		p3[i] |= X86_PTE_U;
		for (int j = 0; j < 512; j++)
			p2[j] |= X86_PTE_U;
	}
	gdt[3] = 0x00affb000000ffffull; /* 0x18: 64-bit code, DPL 3 */
	gdt[4] = 0x00cff3000000ffffull; /* 0x20: data, DPL 3 */
	s->gdtr.limit = 0x27;
	s->cs = (struct vmcb_seg){ 0x1b, 0xafb, 0xffffffff, 0 };
	s->ss = (struct vmcb_seg){ 0x23, 0xcf3, 0xffffffff, 0 };
	s->cpl = 3;
}

void tg_prot32(struct tguest *g, const void *code, size_t len)
{
	struct vmcb_save_area *s;
	struct vmcb_seg data = { 0x10, 0xc93, 0xffffffff, 0 };

	common(g, code, len);
	s = &g->vmcb->save;
	s->cs = (struct vmcb_seg){ 0x08, 0xc9b, 0xffffffff, 0 };
	s->ds = s->es = s->ss = data;
	s->efer = X86_EFER_SVME;
	s->cr0 = X86_CR0_PE | X86_CR0_ET;
	s->rip = g->code_pa;
}

void tg_real(struct tguest *g, const void *code, size_t len)
{
	struct vmcb_save_area *s;
	struct vmcb_seg data = { 0, 0x93, 0xffff, 0 };

	common(g, code, len);
	s = &g->vmcb->save;
	/* CS:IP = (code >> 4):0, as a SIPI would start an AP. */
	s->cs = (struct vmcb_seg){ (uint16_t)(g->code_pa >> 4), 0x9b, 0xffff, g->code_pa };
	s->ds = s->es = s->ss = data;
	s->efer = X86_EFER_SVME;
	s->cr0 = X86_CR0_ET;
	s->rip = 0;
	s->rsp = 0x7000;
	s->idtr.limit = 0x3ff;
}

void tg_idt_gate(struct tguest *g, uint8_t vector, uint64_t handler)
{
	uint64_t *gate = (uint64_t *)arch_phys_to_virt(g->idt_pa) + 2 * vector;

	/* 64-bit interrupt gate, present, DPL 0, selector 0x08 */
	gate[0] = (handler & 0xffff) | (0x08ull << 16) | (0x8eull << 40) |
		  ((handler >> 16) & 0xffff) << 48;
	gate[1] = handler >> 32;
}

arch_fault_t tg_run(struct tguest *g)
{
	return arch_vmrun(g->vmcb_pa, &g->gprs);
}

int tg_machine_run(const struct emu_config *cfg, void (*fn)(void *), char *err, size_t errlen)
{
	struct emu_config def;
	char cerr[256];
	struct emu_machine *m;
	int rc;

	if (!cfg) {
		emu_config_default(&def);
		cfg = &def;
	}
	m = emu_machine_create(cfg, cerr, sizeof(cerr));
	if (!m)
		fail_msg("machine create failed: %s", cerr);
	rc = emu_machine_run(m, fn, NULL);
	if (err)
		snprintf(err, errlen, "%s", emu_machine_error(m));
	else if (rc != 0)
		print_error("model run failed: %s\n", emu_machine_error(m));
	emu_machine_destroy(m);
	return rc;
}
