/* SPDX-License-Identifier: MIT */
/* EPT paging structures for the VMX scenarios (see ept_util.h). */
#include "ept_util.h"

#define ADDR_MASK 0x000ffffffffff000ull
#define GIB       (1ull << 30)
#define MIB2      (1ull << 21)

static uint64_t *table(uint64_t pa)
{
	return arch_phys_to_virt(pa);
}

void *conf_ept_frame(uint64_t entry)
{
	return arch_phys_to_virt(entry & ADDR_MASK);
}

bool conf_ept_identity(struct conf_ctx *ctx, struct conf_vmx *s, struct conf_ept *e, bool ad)
{
	hv_memset(e, 0, sizeof(*e));
	e->pml4 = arch_page_alloc();
	e->pdpt = arch_page_alloc();
	for (unsigned i = 0; i < 4; i++)
		e->pd[i] = arch_page_alloc();
	if (!e->pml4 || !e->pdpt || !e->pd[0] || !e->pd[1] || !e->pd[2] || !e->pd[3]) {
		conf_error(ctx, "no memory for the EPT paging structures");
		return false;
	}
	/* Entries that name a table: bits 2:0 the rights, no memory type (§29.3.2). */
	table(e->pml4)[0] = e->pdpt | CONF_EPT_RWX;
	for (unsigned i = 0; i < 4; i++) {
		table(e->pdpt)[i] = e->pd[i] | CONF_EPT_RWX;
		for (unsigned j = 0; j < 512; j++)
			table(e->pd[i])[j] = (i * GIB + j * MIB2) | CONF_EPT_PS | CONF_EPT_WB |
					     CONF_EPT_RWX;
	}
	/* §25.6.11: memory type WB (6), page-walk length 4 (bits 5:3 = 3). */
	e->eptp = e->pml4 | 6 | (3u << 3) | (ad ? VMX_EPTP_AD_ENABLE : 0);
	conf_vmx_set_ctl(s, CPU_BASED_VM_EXEC_CONTROL, CPU_BASED_ACTIVATE_SECONDARY_CONTROLS, true);
	conf_vmx_set_ctl(s, SECONDARY_VM_EXEC_CONTROL, SECONDARY_EXEC_ENABLE_EPT, true);
	conf_vmx_w(s, EPT_POINTER, e->eptp);
	return true;
}

uint64_t *conf_ept_entry(struct conf_ept *e, uint64_t gpa, int level)
{
	if (gpa >= 4 * GIB)
		return NULL;
	if (level == 3)
		return &table(e->pdpt)[gpa / GIB];
	return &table(e->pd[gpa / GIB])[(gpa / MIB2) & 511];
}

uint64_t *conf_ept_pte(struct conf_ept *e, uint64_t gpa)
{
	uint64_t *pde = conf_ept_entry(e, gpa, 2);
	uint64_t pt;

	if (!pde)
		return NULL;
	if (*pde & CONF_EPT_PS) {
		uint64_t base = *pde & ADDR_MASK & ~(MIB2 - 1);

		if (!(pt = arch_page_alloc()))
			return NULL;
		for (unsigned j = 0; j < 512; j++)
			table(pt)[j] = (base + j * 4096ull) | CONF_EPT_WB | CONF_EPT_RWX;
		*pde = pt | CONF_EPT_RWX;
	}
	return &table(*pde & ADDR_MASK)[(gpa >> 12) & 511];
}
