/* SPDX-License-Identifier: MIT */
#include "npt_util.h"
#include "x86/cpu.h"

#define ENTRY_ADDR 0x000ffffffffff000ull

bool conf_npt_identity(struct conf_ctx *ctx, struct conf_svm *s, struct conf_npt *n)
{
	uint64_t pdpt, *p3;

	n->root = arch_page_alloc();
	pdpt = arch_page_alloc();
	if (!n->root || !pdpt) {
		conf_error(ctx, "out of pages for the nested page tables");
		return false;
	}
	((uint64_t *)arch_phys_to_virt(n->root))[0] = pdpt | CONF_NPT_RWU;
	p3 = arch_phys_to_virt(pdpt);
	for (unsigned i = 0; i < 4; i++) {
		uint64_t pd = arch_page_alloc(), *p2;

		if (!pd) {
			conf_error(ctx, "out of pages for the nested page tables");
			return false;
		}
		p2 = arch_phys_to_virt(pd);
		n->pd[i] = pd;
		p3[i] = pd | CONF_NPT_RWU;
		for (unsigned j = 0; j < 512; j++)
			p2[j] = ((uint64_t)(i * 512 + j) << 21) | CONF_NPT_RWU | X86_PTE_PS;
	}
	s->vmcb->control.nested_ctl |= SVM_NESTED_CTL_NP_ENABLE;
	s->vmcb->control.nested_cr3 = n->root;
	return true;
}

/* The page table under gpa's 2 MiB, made from the large leaf if need be. */
static uint64_t *page_table(struct conf_npt *n, uint64_t gpa)
{
	uint64_t *pde, pt, base = gpa & ~0x1fffffull, *t;

	if (gpa >= (4ull << 30))
		return 0;
	pde = (uint64_t *)arch_phys_to_virt(n->pd[gpa >> 30]) + ((gpa >> 21) & 511);
	if (!(*pde & X86_PTE_PS))
		return arch_phys_to_virt(*pde & ENTRY_ADDR);
	if (!(pt = arch_page_alloc()))
		return 0;
	t = arch_phys_to_virt(pt);
	for (unsigned i = 0; i < 512; i++)
		t[i] = (base + ((uint64_t)i << 12)) | CONF_NPT_RWU;
	*pde = pt | CONF_NPT_RWU;
	return t;
}

bool conf_npt_unmap_4k(struct conf_npt *n, uint64_t gpa)
{
	uint64_t *t = page_table(n, gpa);

	if (!t)
		return false;
	t[(gpa >> 12) & 511] = 0;
	return true;
}

void conf_npt_map_4k(struct conf_npt *n, uint64_t gpa)
{
	uint64_t *t = page_table(n, gpa);

	if (t)
		t[(gpa >> 12) & 511] = (gpa & ~0xfffull) | CONF_NPT_RWU;
}
