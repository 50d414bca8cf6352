/* SPDX-License-Identifier: MIT */
/*
 * Nested page tables (see hv/npt.h): a PML4, one PDPT, four page
 * directories of 2 MiB leaves for 0-4 GiB, and one page table of 4 KiB
 * leaves for the 2 MiB that hold the hole (APM vol. 2 §15.25.1, §5.3).
 */
#include "hv/arch.h"
#include "hv/lib.h"
#include "hv/npt.h"
#include "x86/cpu.h"

#define PAGE_SIZE 4096ull
#define LARGE_SIZE (2ull << 20)
/* Physical-address bits of a long-mode table entry (APM vol. 2 §5.3.3). */
#define ENTRY_ADDR 0x000ffffffffff000ull
/*
 * User access is what every guest access is at the nested level (§15.25.5).
 * Leaves carry A and D already: nothing reads them, and the processor then
 * never has to write them back (APM vol. 2 §5.4.2).
 */
#define NPT_TABLE (X86_PTE_P | X86_PTE_W | X86_PTE_U)
#define NPT_LARGE (X86_PTE_P | X86_PTE_W | X86_PTE_U | X86_PTE_PS | X86_PTE_A | X86_PTE_D)
#define NPT_LEAF (X86_PTE_P | X86_PTE_W | X86_PTE_U | X86_PTE_A | X86_PTE_D)

int hv_npt_build(struct hv_npt *npt, uint64_t hole)
{
	uint64_t pml4, pdpt, pd, pt, *l4, *l3, *l2, *l1;
	uint64_t hole_2m = hole & ~(LARGE_SIZE - 1);

	if ((hole & (PAGE_SIZE - 1)) || hole >= HV_NPT_LIMIT)
		return HV_EINVAL;
	pml4 = arch_page_alloc();
	pdpt = arch_page_alloc();
	pd = arch_pages_alloc(4);
	pt = arch_page_alloc();
	if (!pml4 || !pdpt || !pd || !pt)
		return HV_ENOMEM;
	l4 = arch_phys_to_virt(pml4);
	l3 = arch_phys_to_virt(pdpt);
	l2 = arch_phys_to_virt(pd);
	l1 = arch_phys_to_virt(pt);
	l4[0] = pdpt | NPT_TABLE;
	for (uint64_t i = 0; i < 4; i++)
		l3[i] = (pd + i * PAGE_SIZE) | NPT_TABLE;
	for (uint64_t j = 0; j < HV_NPT_LIMIT / LARGE_SIZE; j++)
		l2[j] = (j * LARGE_SIZE) | NPT_LARGE;
	for (uint64_t k = 0; k < 512; k++) {
		uint64_t gpa = hole_2m + k * PAGE_SIZE;

		l1[k] = gpa == hole ? 0 : gpa | NPT_LEAF;
	}
	l2[hole_2m / LARGE_SIZE] = pt | NPT_TABLE;
	npt->root = pml4;
	npt->hole = hole;
	return HV_OK;
}

bool hv_npt_translate(const struct hv_npt *npt, uint64_t gpa, uint64_t *spa)
{
	uint64_t table = npt->root & ENTRY_ADDR;

	/* Four levels translate 48 bits; nothing above is mapped. */
	if (gpa >> 48)
		return false;
	for (int level = 4; level >= 1; level--) {
		unsigned shift = 12u + 9u * (unsigned)(level - 1);
		const uint64_t *t = arch_phys_to_virt(table);
		uint64_t e;

		if (!t)
			return false;
		e = t[(gpa >> shift) & 511];
		if (!(e & X86_PTE_P))
			return false;
		/* A large leaf at the PDPT (1 GiB) or PD (2 MiB) level. */
		if (level == 1 || ((level == 2 || level == 3) && (e & X86_PTE_PS))) {
			uint64_t size = 1ull << shift;

			*spa = ((e & ENTRY_ADDR) & ~(size - 1)) | (gpa & (size - 1));
			return true;
		}
		table = e & ENTRY_ADDR;
	}
	return false;
}
