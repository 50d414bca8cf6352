/* SPDX-License-Identifier: MIT */
/*
 * The EPT walk (SDM vol. 3C §29.3): four levels from the PML4 the EPT
 * pointer names, 1 GiB and 2 MiB pages where the capabilities allow them.
 *
 * Order (§29.3.3): the walk stops at the first entry that is not present
 * (an EPT violation) or misconfigured (§29.3.3.1); only a walk that reaches
 * a leaf checks the access against the R/W/X bits of all the entries it
 * used (§29.3.3.2).
 *
 * A table outside RAM reads as all ones, as every other access the model
 * makes there: such an "entry" is present with reserved bits set (bits
 * 51:MAXPHYADDR, or bit 7 and bits 29:12 of a PDPTE), an EPT
 * misconfiguration. The SDM names no other outcome for a table in memory
 * that does not exist.
 *
 * Accessed and dirty flags (§29.3.5) are set once the translation stands,
 * as the model's own paging does (emu/src/paging.c): a walk that ends in a
 * violation or misconfiguration leaves every flag as it was.
 */
#include "vmx-model/ept.h"

#include "x86/vmx.h"

/* The bits of a present entry reserved at each level (§29.3.2). */
#define PML4E_RSVD       0xf8ull      /* 7:3 */
#define TABLE_RSVD       0x78ull      /* 6:3 of a PDPTE or PDE that names a table */
#define PDPTE_1G_RSVD    0x3ffff000ull /* 29:12 */
#define PDE_2M_RSVD      0x1ff000ull  /* 20:12 */

static uint64_t width_mask(const struct vmx_caps *caps)
{
	return (1ull << caps->maxphyaddr) - 1;
}

static bool maps_page(uint64_t e, int level)
{
	return level == 1 || (level < 4 && (e & EPT_PAGE_SIZE));
}

/* §29.3.3.1: an entry that is present (bits 2:0 not 000b) but misconfigured. */
static bool misconfigured(const struct vmx_caps *caps, uint64_t e, int level)
{
	uint64_t rwx = e & (EPT_READ | EPT_WRITE | EPT_EXECUTE);
	uint64_t memtype = (e & EPT_MEMTYPE_MASK) >> EPT_MEMTYPE_SHIFT;
	uint64_t beyond = ((1ull << 52) - 1) & ~width_mask(caps);
	uint64_t rsvd = 0;

	if ((rwx & EPT_WRITE) && !(rwx & EPT_READ))
		return true;
	if (rwx == EPT_EXECUTE && !(caps->ept_vpid_cap & VMX_EPT_EXECUTE_ONLY))
		return true;
	if (e & beyond)
		return true;
	switch (level) {
	case 4:
		rsvd = PML4E_RSVD;
		break;
	case 3:
		if (!(e & EPT_PAGE_SIZE))
			rsvd = TABLE_RSVD;
		else if (caps->ept_vpid_cap & VMX_EPT_1GB_PAGE)
			rsvd = PDPTE_1G_RSVD;
		else
			rsvd = EPT_PAGE_SIZE;
		break;
	case 2:
		if (!(e & EPT_PAGE_SIZE))
			rsvd = TABLE_RSVD;
		else if (caps->ept_vpid_cap & VMX_EPT_2MB_PAGE)
			rsvd = PDE_2M_RSVD;
		else
			rsvd = EPT_PAGE_SIZE;
		break;
	default:
		break;
	}
	if (e & rsvd)
		return true;
	/* In an entry that maps a page, memory types 2, 3 and 7 are reserved. */
	return maps_page(e, level) && (memtype == 2 || memtype == 3 || memtype == 7);
}

/* Bits 0-2 and 7-8 of the qualification: what the access was (table 28-7). */
static uint64_t access_bits(enum emu_access acc, unsigned flags, bool ad)
{
	uint64_t q = 0;

	/* With A/D flags on, an access to a guest paging-structure entry is a
	 * write as well as a read (§29.3.3.2). */
	if (acc == EMU_ACC_READ || ((flags & VMX_EPT_PAGING_ENTRY) && ad))
		q |= EPT_VIOLATION_DATA_READ;
	if (acc == EMU_ACC_WRITE || ((flags & VMX_EPT_PAGING_ENTRY) && ad))
		q |= EPT_VIOLATION_DATA_WRITE;
	if (acc == EMU_ACC_FETCH)
		q |= EPT_VIOLATION_INSN_FETCH;
	if (!(flags & VMX_EPT_NO_LINEAR)) {
		q |= EPT_VIOLATION_GLA_VALID;
		if (!(flags & VMX_EPT_PAGING_ENTRY))
			q |= EPT_VIOLATION_GLA_TRANSLATED;
	}
	return q;
}

static int violation(struct vmx_ept_fault *fault, uint64_t access, uint64_t rwx)
{
	/* Bits 3-5 are bits 2:0 of the entries used, ANDed (table 28-7). */
	fault->exit_reason = VMX_EXIT_EPT_VIOLATION;
	fault->qualification = access | (rwx << 3);
	return -1;
}

static int misconfiguration(struct vmx_ept_fault *fault)
{
	fault->exit_reason = VMX_EXIT_EPT_MISCONFIG;
	fault->qualification = 0;
	return -1;
}

static void set_flags(uint64_t **used, int n, bool write)
{
	for (int i = 0; i < n; i++)
		if (used[i])
			*used[i] |= EPT_ACCESSED;
	/* The dirty flag is the leaf's alone (§29.3.5). */
	if (write && used[n - 1])
		*used[n - 1] |= EPT_DIRTY;
}

int vmx_ept_walk(struct emu_cpu *cpu, const struct vmx_caps *caps, uint64_t eptp, uint64_t gpa,
		 enum emu_access acc, unsigned flags, struct emu_slat_leaf *leaf,
		 struct vmx_ept_fault *fault)
{
	uint64_t addr_mask = width_mask(caps) & ~0xfffull;
	uint64_t table = eptp & addr_mask;
	bool ad = (eptp & VMX_EPTP_AD_ENABLE) != 0;
	bool paging = (flags & VMX_EPT_PAGING_ENTRY) != 0;
	bool write = acc == EMU_ACC_WRITE || (paging && ad);
	bool read = acc == EMU_ACC_READ || (paging && ad);
	uint64_t access = access_bits(acc, flags, ad);
	uint64_t rwx = EPT_READ | EPT_WRITE | EPT_EXECUTE;
	uint64_t *used[4];
	int n = 0;

	for (int level = 4; level >= 1; level--) {
		unsigned shift = 12 + 9 * (unsigned)(level - 1);
		uint64_t *p = emu_ram_ptr(cpu->m, table + ((gpa >> shift) & 511) * 8, 8);
		uint64_t e = p ? *p : ~0ull;
		uint64_t offset = (1ull << shift) - 1;

		if (!(e & (EPT_READ | EPT_WRITE | EPT_EXECUTE)))
			return violation(fault, access, 0);
		if (misconfigured(caps, e, level))
			return misconfiguration(fault);
		rwx &= e;
		used[n++] = p;
		if (!maps_page(e, level)) {
			table = e & addr_mask;
			continue;
		}
		if ((read && !(rwx & EPT_READ)) || (write && !(rwx & EPT_WRITE)) ||
		    (acc == EMU_ACC_FETCH && !(rwx & EPT_EXECUTE)))
			return violation(fault, access, rwx);
		if (ad && (flags & VMX_EPT_SET_AD))
			set_flags(used, n, write);
		if (p)
			e = *p;
		leaf->spa = ((e & addr_mask & ~offset) | (gpa & offset)) & ~0xfffull;
		leaf->writable = (rwx & EPT_WRITE) != 0;
		leaf->executable = (rwx & EPT_EXECUTE) != 0;
		leaf->dirty = !ad || (e & EPT_DIRTY);
		return 0;
	}
	/* Not reached: every PTE maps a page. */
	return misconfiguration(fault);
}
