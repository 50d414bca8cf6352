/* SPDX-License-Identifier: MIT */
/*
 * Nested page tables (see hv/svm_npt.h): a PML4 and the tables below it,
 * allocated as a range needs them, with 2 MiB leaves where the range and
 * the hole allow and 4 KiB leaves elsewhere (APM vol. 2 §15.25.1, §5.3).
 */
#include "vx/arch.h"
#include "hv/lib.h"
#include "hv/svm_npt.h"
#include "x86/cpu.h"

#define PAGE_SIZE 4096ull
#define LARGE_SIZE (2ull << 20)
/* Four levels translate 48 bits of guest-physical address (§5.3.1). */
#define GPA_LIMIT (1ull << 48)
/* Long-mode entries hold 52-bit physical addresses (§5.3.3). */
#define SPA_LIMIT (1ull << 52)
#define ENTRY_ADDR 0x000ffffffffff000ull
/*
 * User access is what every guest access is at the nested level (§15.25.5).
 * Leaves carry A and D already: nothing reads them, and the processor then
 * never has to write them back (APM vol. 2 §5.4.2).
 */
#define NPT_TABLE (X86_PTE_P | X86_PTE_W | X86_PTE_U)
#define NPT_LARGE (X86_PTE_P | X86_PTE_W | X86_PTE_U | X86_PTE_PS | X86_PTE_A | X86_PTE_D)
#define NPT_LEAF (X86_PTE_P | X86_PTE_W | X86_PTE_U | X86_PTE_A | X86_PTE_D)

static unsigned level_shift(int level)
{
	return 12u + 9u * (unsigned)(level - 1);
}

int hv_npt_init(struct hv_npt *npt, uint64_t hole)
{
	uint64_t pml4;

	if ((hole & (PAGE_SIZE - 1)) || hole >= GPA_LIMIT)
		return HV_EINVAL;
	pml4 = arch_page_alloc();
	if (!pml4)
		return HV_ENOMEM;
	npt->root = pml4;
	npt->hole = hole;
	return HV_OK;
}

/* A page table that maps what the 2 MiB leaf *pde mapped, the hole excepted. */
static bool split_large(const struct hv_npt *npt, uint64_t *pde, uint64_t gpa_2m)
{
	uint64_t pt = arch_page_alloc(), spa_2m = *pde & ENTRY_ADDR & ~(LARGE_SIZE - 1);
	uint64_t *l1;

	if (!pt)
		return false;
	l1 = arch_phys_to_virt(pt);
	for (uint64_t k = 0; k < 512; k++)
		l1[k] = gpa_2m + k * PAGE_SIZE == npt->hole ? 0
							    : (spa_2m + k * PAGE_SIZE) | NPT_LEAF;
	*pde = pt | NPT_TABLE;
	return true;
}

/*
 * The entry at `level` (1: a PTE, 2: a PDE) for gpa, with every table
 * above it present; NULL when a table cannot be allocated.
 */
static uint64_t *entry_for(const struct hv_npt *npt, uint64_t gpa, int level)
{
	uint64_t *t = arch_phys_to_virt(npt->root);

	for (int l = 4; l > level; l--) {
		uint64_t *e = &t[(gpa >> level_shift(l)) & 511];

		if (!(*e & X86_PTE_P)) {
			uint64_t pa = arch_page_alloc();

			if (!pa)
				return NULL;
			*e = pa | NPT_TABLE;
		} else if (*e & X86_PTE_PS) {
			/* Only hv_npt_map writes leaves, and only 2 MiB ones above level 1. */
			if (!split_large(npt, e, gpa & ~(LARGE_SIZE - 1)))
				return NULL;
		}
		t = arch_phys_to_virt(*e & ENTRY_ADDR);
	}
	return &t[(gpa >> level_shift(level)) & 511];
}

int hv_npt_map(struct hv_npt *npt, uint64_t gpa, uint64_t spa, uint64_t size)
{
	if (((gpa | spa | size) & (PAGE_SIZE - 1)) || gpa >= GPA_LIMIT ||
	    size > GPA_LIMIT - gpa || spa >= SPA_LIMIT || size > SPA_LIMIT - spa)
		return HV_EINVAL;
	while (size) {
		bool hole_inside = npt->hole - gpa < LARGE_SIZE;
		uint64_t *e;

		if (!((gpa | spa) & (LARGE_SIZE - 1)) && size >= LARGE_SIZE && !hole_inside) {
			e = entry_for(npt, gpa, 2);
			if (!e)
				return HV_ENOMEM;
			*e = spa | NPT_LARGE;
			gpa += LARGE_SIZE;
			spa += LARGE_SIZE;
			size -= LARGE_SIZE;
			continue;
		}
		e = entry_for(npt, gpa, 1);
		if (!e)
			return HV_ENOMEM;
		*e = gpa == npt->hole ? 0 : spa | NPT_LEAF;
		gpa += PAGE_SIZE;
		spa += PAGE_SIZE;
		size -= PAGE_SIZE;
	}
	return HV_OK;
}

int hv_npt_build(struct hv_npt *npt, uint64_t hole)
{
	int rc;

	if (hole >= HV_NPT_LIMIT)
		return HV_EINVAL;
	rc = hv_npt_init(npt, hole);
	return rc ? rc : hv_npt_map(npt, 0, 0, HV_NPT_LIMIT);
}

bool hv_npt_translate(const struct hv_npt *npt, uint64_t gpa, uint64_t *spa)
{
	uint64_t table = npt->root & ENTRY_ADDR;

	if (gpa >= GPA_LIMIT)
		return false;
	for (int level = 4; level >= 1; level--) {
		const uint64_t *t = arch_phys_to_virt(table);
		uint64_t e;

		/* A table beyond the platform's memory is refused, not read. */
		if (!t || !arch_phys_to_virt(table + PAGE_SIZE - 1))
			return false;
		e = t[(gpa >> level_shift(level)) & 511];
		if (!(e & X86_PTE_P))
			return false;
		/* A large leaf at the PDPT (1 GiB) or PD (2 MiB) level. */
		if (level == 1 || ((level == 2 || level == 3) && (e & X86_PTE_PS))) {
			uint64_t size = 1ull << level_shift(level);

			*spa = ((e & ENTRY_ADDR) & ~(size - 1)) | (gpa & (size - 1));
			return true;
		}
		table = e & ENTRY_ADDR;
	}
	return false;
}
