/* SPDX-License-Identifier: MIT */
/*
 * Nested paging (APM vol. 2 §15.25): the walk of the nested page tables
 * that translate a guest-physical address to a system-physical one, in the
 * host's long-mode format (four levels, 2 MiB and 1 GiB leaves) rooted at
 * nested_cr3. Every guest access is a user access at this level (§15.25.5),
 * so a present entry needs U/S as well as R/W for writes; NX forbids
 * fetches. A/D bits are set as the walk would set them. The engine calls it
 * as the second level of every translation (emu/src/paging.c).
 */
#include <string.h>

#include "svm-model/svm_model.h"
#include "x86/cpu.h"

#define MAXPHY_MASK ((1ull << 40) - 1)
#define ADDR_MASK (MAXPHY_MASK & ~0xfffull)

static bool rsvd(uint64_t e, int level)
{
	unsigned shift = 12 + 9 * (unsigned)(level - 1);

	/* APM vol. 2 §5.3.3/§5.4: physical-address bits above MAXPHYADDR; PS in
	 * a PML4E; below a large page's frame, the bits but PAT (bit 12). */
	if (e & (((1ull << 52) - 1) & ~MAXPHY_MASK))
		return true;
	if (!(e & X86_PTE_PS) || level == 1)
		return false;
	return level == 4 || (e & ((1ull << shift) - 1) & ~0x1fffull);
}

/* exit_info_1 of #NPF but for bits 32/33, which say where the walk was. */
static int svm_npt_walk(struct emu_cpu *cpu, uint64_t gpa, enum emu_access acc, unsigned flags,
			struct emu_slat_leaf *leaf, uint64_t *exit_info_1)
{
	struct svm_cpu *s = svm_of(cpu);
	uint64_t table = s->ncr3 & ADDR_MASK;
	uint64_t info = SVM_NPF_US;
	bool set_ad = (flags & EMU_SLAT_SET_AD) != 0;
	/* The guest's table accesses are user writes at this level (they may
	 * set accessed/dirty bits): KVM's nested walk and QEMU treat them so. */
	bool write = acc == EMU_ACC_WRITE || (flags & EMU_SLAT_TABLE);
	bool fetch = acc == EMU_ACC_FETCH;
	uint64_t *entries[4];
	int n = 0;

	if (write)
		info |= SVM_NPF_RW;
	if (fetch)
		info |= SVM_NPF_ID;
	for (int level = 4; level >= 1; level--) {
		unsigned shift = 12 + 9 * (unsigned)(level - 1);
		uint64_t *e = emu_ram_ptr(cpu->m, table + ((gpa >> shift) & 511) * 8, 8);

		if (!e || !(*e & X86_PTE_P)) {
			*exit_info_1 = info;
			return -1;
		}
		if (rsvd(*e, level)) {
			*exit_info_1 = info | SVM_NPF_P | SVM_NPF_RSV;
			return -1;
		}
		entries[n++] = e;
		if (level == 1 || (*e & X86_PTE_PS)) {
			bool w = true, u = true, nx = false;

			for (int i = 0; i < n; i++) {
				w = w && (*entries[i] & X86_PTE_W);
				u = u && (*entries[i] & X86_PTE_U);
				nx = nx || (*entries[i] & X86_PTE_NX);
			}
			if (!u || (write && !w) || (fetch && nx)) {
				*exit_info_1 = info | SVM_NPF_P;
				return -1;
			}
			if (set_ad) {
				for (int i = 0; i < n; i++)
					*entries[i] |= X86_PTE_A;
				if (write)
					*e |= X86_PTE_D;
			}
			leaf->spa = ((*e & ADDR_MASK & ~((1ull << shift) - 1)) |
				     (gpa & ((1ull << shift) - 1))) & ~0xfffull;
			leaf->writable = w;
			leaf->executable = !nx;
			leaf->dirty = (*e & X86_PTE_D) != 0;
			return 0;
		}
		table = *e & ADDR_MASK;
	}
	*exit_info_1 = info;
	return -1;
}

const struct emu_slat svm_npt_slat = { .walk = svm_npt_walk };
