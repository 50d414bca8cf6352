/* SPDX-License-Identifier: MIT */
/* Four-level second-level tables in a backend's format (see s2pt.h). */
#include "vx/arch.h"
#include "hv/lib.h"
#include "s2pt.h"

#define PAGE_SIZE 4096ull
#define LARGE_SIZE (2ull << 20)
/* Both formats hold 52-bit physical addresses (APM §5.3.3, SDM §29.3.2). */
#define SPA_LIMIT (1ull << 52)
#define ENTRY_ADDR 0x000ffffffffff000ull
#define ENTRY_LARGE (1ull << 7)

static unsigned level_shift(int level)
{
	return 12u + 9u * (unsigned)(level - 1);
}

int hv_s2pt_init(uint64_t *root, uint64_t hole)
{
	uint64_t pml4;

	if ((hole & (PAGE_SIZE - 1)) || hole >= HV_S2PT_GPA_LIMIT)
		return HV_EINVAL;
	pml4 = arch_page_alloc();
	if (!pml4)
		return HV_ENOMEM;
	*root = pml4;
	return HV_OK;
}

/* A page table that maps what the 2 MiB leaf *pde mapped, the hole excepted. */
static bool split_large(const struct hv_s2pt_format *f, uint64_t hole, uint64_t *pde,
			uint64_t gpa_2m)
{
	uint64_t pt = arch_page_alloc(), spa_2m = *pde & ENTRY_ADDR & ~(LARGE_SIZE - 1);
	uint64_t *l1;

	if (!pt)
		return false;
	l1 = arch_phys_to_virt(pt);
	for (uint64_t k = 0; k < 512; k++)
		l1[k] = gpa_2m + k * PAGE_SIZE == hole ? 0 : (spa_2m + k * PAGE_SIZE) | f->leaf;
	*pde = pt | f->table;
	return true;
}

/*
 * The entry at `level` (1: a PTE, 2: a PDE) for gpa, with every table
 * above it present; NULL when a table cannot be allocated.
 */
static uint64_t *entry_for(const struct hv_s2pt_format *f, uint64_t root, uint64_t hole,
			   uint64_t gpa, int level)
{
	uint64_t *t = arch_phys_to_virt(root);

	for (int l = 4; l > level; l--) {
		uint64_t *e = &t[(gpa >> level_shift(l)) & 511];

		if (!(*e & f->present)) {
			uint64_t pa = arch_page_alloc();

			if (!pa)
				return NULL;
			*e = pa | f->table;
		} else if (*e & ENTRY_LARGE) {
			/* Only hv_s2pt_map writes leaves, and only 2 MiB ones above level 1. */
			if (!split_large(f, hole, e, gpa & ~(LARGE_SIZE - 1)))
				return NULL;
		}
		t = arch_phys_to_virt(*e & ENTRY_ADDR);
	}
	return &t[(gpa >> level_shift(level)) & 511];
}

int hv_s2pt_map(const struct hv_s2pt_format *f, uint64_t root, uint64_t hole, uint64_t gpa,
		uint64_t spa, uint64_t size)
{
	if (((gpa | spa | size) & (PAGE_SIZE - 1)) || gpa >= HV_S2PT_GPA_LIMIT ||
	    size > HV_S2PT_GPA_LIMIT - gpa || spa >= SPA_LIMIT || size > SPA_LIMIT - spa)
		return HV_EINVAL;
	while (size) {
		bool hole_inside = hole - gpa < LARGE_SIZE;
		uint64_t *e;

		if (!((gpa | spa) & (LARGE_SIZE - 1)) && size >= LARGE_SIZE && !hole_inside) {
			e = entry_for(f, root, hole, gpa, 2);
			if (!e)
				return HV_ENOMEM;
			*e = spa | f->large;
			gpa += LARGE_SIZE;
			spa += LARGE_SIZE;
			size -= LARGE_SIZE;
			continue;
		}
		e = entry_for(f, root, hole, gpa, 1);
		if (!e)
			return HV_ENOMEM;
		*e = gpa == hole ? 0 : spa | f->leaf;
		gpa += PAGE_SIZE;
		spa += PAGE_SIZE;
		size -= PAGE_SIZE;
	}
	return HV_OK;
}

bool hv_s2pt_translate(const struct hv_s2pt_format *f, uint64_t root, uint64_t gpa,
		       uint64_t *spa)
{
	uint64_t table = root & ENTRY_ADDR;

	if (gpa >= HV_S2PT_GPA_LIMIT)
		return false;
	for (int level = 4; level >= 1; level--) {
		const uint64_t *t = arch_phys_to_virt(table);
		uint64_t e;

		/* A table beyond the platform's memory is refused, not read. */
		if (!t || !arch_phys_to_virt(table + PAGE_SIZE - 1))
			return false;
		e = t[(gpa >> level_shift(level)) & 511];
		if (!(e & f->present))
			return false;
		/* A large leaf at the PDPT (1 GiB) or PD (2 MiB) level. */
		if (level == 1 || ((level == 2 || level == 3) && (e & ENTRY_LARGE))) {
			uint64_t size = 1ull << level_shift(level);

			*spa = ((e & ENTRY_ADDR) & ~(size - 1)) | (gpa & (size - 1));
			return true;
		}
		table = e & ENTRY_ADDR;
	}
	return false;
}
